import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Variant } from '../core/api/api.types';
import { TokenStore } from '../core/auth/token.store';
import { errorOf, valueOf } from '../core/load-state';
import { CartStore } from '../cart/cart.store';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { CatalogStore } from './catalog.store';

/** One product: images, options and variants, adding to the cart, reviews. */
@Component({
  imports: [PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (store.product().status) {
      @case ('loading') { <h1>Product</h1><app-status [loading]="true" /> }
      @case ('error') { <h1>Product not available</h1><app-status [error]="errorOf(store.product())" /> }
      @case ('ready') {
        @let p = product()!;
        <article class="product">
          <div class="gallery">
            @for (image of p.images ?? []; track image.id) {
              @if (image.urls?.['card']; as src) {
                <img [src]="src" [alt]="image.alt || p.name" width="600" height="600" [attr.loading]="$first ? null : 'lazy'"
                     [attr.fetchpriority]="$first ? 'high' : null" />
              }
            }
          </div>
          <div class="buy">
            <h1>{{ p.name }}</h1>
            <p class="price">{{ (variant()?.price ?? p.price) | price: p.currency }}</p>
            <p>{{ p.description }}</p>
            <form (submit)="addToCart($event)" novalidate aria-label="Add to cart">
              @for (option of p.options ?? []; track option.name) {
                <label>{{ option.name }}
                  <select [name]="option.name" (change)="choose(option.name, $any($event.target).value)">
                    @for (value of option.values; track value) {
                      <option [value]="value" [selected]="chosen()[option.name] === value">{{ value }}</option>
                    }
                  </select>
                </label>
              }
              <label>Quantity <input name="quantity" type="number" min="1" max="99" value="1" /></label>
              @if (available()) { <button type="submit" [disabled]="cart.loading()">Add to cart</button> }
              @else { <p class="flag">Out of stock</p> }
            </form>
            <p role="status">{{ added() ? 'Added to your cart.' : '' }}</p>
            <app-status [error]="cart.error()" />
            @if (added()) { <a routerLink="/cart">View cart</a> }
          </div>
        </article>
        <section aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">Reviews ({{ p.reviewCount ?? 0 }})</h2>
          @switch (store.reviews().status) {
            @case ('loading') { <app-status [loading]="true" /> }
            @case ('error') { <app-status [error]="errorOf(store.reviews())" /> }
            @case ('ready') {
              <ul class="reviews">
                @for (review of valueOf(store.reviews(), null)!.items; track review.id) {
                  <li><strong>{{ review.rating }}/5</strong> {{ review.text }} <em>— {{ review.author }}</em></li>
                } @empty { <li>No reviews yet.</li> }
              </ul>
            }
          }
          @if (tokens.signedIn()) {
            <form (submit)="review($event)" novalidate aria-label="Write a review">
              <label>Rating
                <select name="rating">@for (r of [5, 4, 3, 2, 1]; track r) { <option [value]="r">{{ r }}</option> }</select>
              </label>
              <label>Your review <textarea name="text" maxlength="5000"></textarea></label>
              <button type="submit">Post review</button>
              <app-status [error]="store.reviewError()" />
            </form>
          } @else { <p><a routerLink="/account/sign-in">Sign in</a> to write a review.</p> }
        </section>
      }
    }
  `,
})
export class ProductPage {
  readonly ref = input.required<string>();
  protected readonly store = inject(CatalogStore);
  protected readonly cart = inject(CartStore);
  protected readonly tokens = inject(TokenStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly chosen = signal<Record<string, string>>({});
  protected readonly added = signal(false);
  protected readonly product = computed(() => valueOf(this.store.product(), null));
  protected readonly variant = computed<Variant | undefined>(() => {
    const chosen = this.chosen();
    return this.product()?.variants?.find((v) =>
      Object.entries(v.options ?? {}).every(([name, value]) => chosen[name] === value));
  });
  protected readonly available = computed(() =>
    this.variant() ? this.variant()!.available !== false : this.product()?.inStock !== false);

  constructor() {
    effect(() => {
      const ref = this.ref();
      untracked(() => void this.store.loadProduct(ref));
    });
    effect(() => {  // start from the first variant that can be bought, else the first values
      const product = this.product();
      const buyable = product?.variants?.find((variant) => variant.available !== false && variant.isActive !== false);
      this.chosen.set(buyable?.options ?? Object.fromEntries((product?.options ?? []).map((o) => [o.name, o.values[0]])));
    });
  }

  protected choose(name: string, value: string): void {
    this.chosen.update((chosen) => ({ ...chosen, [name]: value }));
    this.added.set(false);
  }

  protected async addToCart(event: Event): Promise<void> {
    event.preventDefault();
    const quantity = Number(new FormData(event.target as HTMLFormElement).get('quantity'));
    const product = this.product()!;
    const variantId = product.options?.length ? this.variant()?.id : undefined;
    this.added.set(await this.cart.add({ productId: product.id!, variantId, quantity }));
  }

  protected async review(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    if (await this.store.writeReview(this.ref(), Number(data.get('rating')), String(data.get('text') ?? ''))) form.reset();
  }
}
