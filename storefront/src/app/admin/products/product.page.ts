import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import type { ProductDetail } from '../../core/api/api.types';
import { errorOf, valueOf } from '../../core/load-state';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { FormOutcome, NO_PROBLEM } from '../form-outcome';
import { ProductAdminStore } from './product-admin.store';
import { OptionDraft, VariantDraft, optionDrafts, variantDrafts, variantsBody } from './variant-draft';

const MAX_OPTIONS = 3;

/** One product for staff: active or not, its options and variants (SKU, price, stock each), its
 *  images (upload with alt text and position, delete), stock adjustments with a reason and the
 *  stock movements of every variant. */
@Component({
  imports: [DatePipe, FieldErrorComponent, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (store.product().status) {
      @case ('loading') { <h1>Product</h1><app-status [loading]="true" /> }
      @case ('error') { <h1>Product</h1><app-status [error]="errorOf(store.product())" /> }
      @case ('ready') {
        @let product = valueOf(store.product(), null)!;
        <h1>{{ product.name }}</h1>
        <p>SKU {{ product.sku }}, {{ product.price | price: product.currency }} —
          <strong class="product-state">{{ product.isActive ? 'Active' : 'Inactive' }}</strong>
          <button type="button" class="secondary" (click)="setActive(!product.isActive)">{{ product.isActive ? 'Deactivate' : 'Activate' }}</button></p>
        <app-status [error]="stateOutcome().message" />

        <section aria-labelledby="variants">
          <h2 id="variants">Options and variants</h2>
          <form (submit)="saveVariants($event)" novalidate>
            <fieldset>
              <legend>Options (none: the product is sold as one variant)</legend>
              @for (option of options(); track $index; let i = $index) {
                <div class="inline-form">
                  <div class="field">
                    <label [for]="'option-' + i + '-name'">Option {{ i + 1 }} name</label>
                    <input [id]="'option-' + i + '-name'" [value]="option.name" maxlength="50" (change)="setOption(i, 'name', $event)"
                           [attr.aria-invalid]="!!error('options[' + i + '].name')" [attr.aria-describedby]="'option-' + i + '-name-error'" />
                    <app-field-error [id]="'option-' + i + '-name-error'" [message]="error('options[' + i + '].name')" />
                  </div>
                  <div class="field">
                    <label [for]="'option-' + i + '-values'">Option {{ i + 1 }} values (separated by commas)</label>
                    <input [id]="'option-' + i + '-values'" [value]="option.values" (change)="setOption(i, 'values', $event)"
                           [attr.aria-invalid]="!!error('options[' + i + '].values')" [attr.aria-describedby]="'option-' + i + '-values-error'" />
                    <app-field-error [id]="'option-' + i + '-values-error'" [message]="error('options[' + i + '].values')" />
                  </div>
                </div>
              }
              @if (options().length < maxOptions) {
                <button type="button" class="secondary" (click)="addOption()">Add an option</button>
              }
            </fieldset>
            <table class="variants">
              <caption class="visually-hidden">Variants</caption>
              <thead><tr><th scope="col">SKU</th>
                @for (name of optionNames(); track name) { <th scope="col">{{ name }}</th> }
                <th scope="col">Price (empty: the product's)</th><th scope="col">Stock</th><th scope="col">Active</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
              <tbody>
                @for (variant of variants(); track $index; let i = $index) {
                  <tr [attr.data-sku]="variant.sku">
                    <td><label class="visually-hidden" [for]="'variant-' + i + '-sku'">SKU of variant {{ i + 1 }}</label>
                      <input [id]="'variant-' + i + '-sku'" [value]="variant.sku" maxlength="100" (change)="setVariant(i, 'sku', $event)"
                             [attr.aria-invalid]="!!error('variants[' + i + '].sku')" [attr.aria-describedby]="'variant-' + i + '-sku-error'" />
                      <app-field-error [id]="'variant-' + i + '-sku-error'" [message]="error('variants[' + i + '].sku')" /></td>
                    @for (name of optionNames(); track name; let first = $first) {
                      <td><label class="visually-hidden" [for]="'variant-' + i + '-' + name">{{ name }} of variant {{ i + 1 }}</label>
                        <input [id]="'variant-' + i + '-' + name" [value]="variant.options[name] || ''" maxlength="50"
                               (change)="setVariantOption(i, name, $event)" [attr.aria-describedby]="'variant-' + i + '-options-error'" />
                        @if (first) { <app-field-error [id]="'variant-' + i + '-options-error'" [message]="error('variants[' + i + '].options')" /> }</td>
                    }
                    <td><label class="visually-hidden" [for]="'variant-' + i + '-price'">Price of variant {{ i + 1 }}</label>
                      <input [id]="'variant-' + i + '-price'" [value]="variant.price" inputmode="decimal" (change)="setVariant(i, 'price', $event)"
                             [attr.aria-invalid]="!!error('variants[' + i + '].price')" [attr.aria-describedby]="'variant-' + i + '-price-error'" />
                      <app-field-error [id]="'variant-' + i + '-price-error'" [message]="error('variants[' + i + '].price')" /></td>
                    <td><label class="visually-hidden" [for]="'variant-' + i + '-stock'">Stock of variant {{ i + 1 }}</label>
                      <input [id]="'variant-' + i + '-stock'" [value]="variant.stockQuantity" inputmode="numeric" (change)="setVariant(i, 'stockQuantity', $event)"
                             [attr.aria-invalid]="!!error('variants[' + i + '].stockQuantity')" [attr.aria-describedby]="'variant-' + i + '-stock-error'" />
                      <app-field-error [id]="'variant-' + i + '-stock-error'" [message]="error('variants[' + i + '].stockQuantity')" /></td>
                    <td><label class="visually-hidden" [for]="'variant-' + i + '-active'">Variant {{ i + 1 }} on sale</label>
                      <input type="checkbox" [id]="'variant-' + i + '-active'" [checked]="variant.isActive" (change)="setActiveVariant(i, $event)" /></td>
                    <td><button type="button" class="link" (click)="removeVariant(i)">Remove<span class="visually-hidden"> variant {{ i + 1 }}</span></button></td>
                  </tr>
                }
              </tbody>
            </table>
            <button type="button" class="secondary" (click)="addVariant()">Add a variant</button>
            <button type="submit">Save variants</button>
            <app-status [error]="variantsOutcome().message ?? error('variants') ?? null" />
          </form>
        </section>

        <section aria-labelledby="images">
          <h2 id="images">Images</h2>
          <ul class="images">
            @for (image of product.images ?? []; track image.id) {
              <li>
                @if (image.urls?.['thumbnail']; as url) { <img [src]="url" [alt]="image.alt" width="100" /> }
                @else { <span>(being resized)</span> }
                <span class="image-alt">{{ image.alt || '(no alt text)' }}</span>, position {{ image.position }}
                <button type="button" class="secondary" (click)="deleteImage(image.id!)">Delete<span class="visually-hidden"> image {{ image.alt }}</span></button>
              </li>
            } @empty { <li>No image yet.</li> }
          </ul>
          <form class="inline-form" (submit)="uploadImage($event)" novalidate>
            <div class="field">
              <label for="image-file">Image (JPEG, PNG or WebP)</label>
              <input id="image-file" name="file" type="file" accept="image/jpeg,image/png,image/webp" aria-describedby="image-file-error" />
              <app-field-error [id]="'image-file-error'" [message]="imageOutcome().fields['file']" />
            </div>
            <div class="field">
              <label for="image-alt">Alt text</label>
              <input id="image-alt" name="alt" maxlength="300" aria-describedby="image-alt-error" />
              <app-field-error [id]="'image-alt-error'" [message]="imageOutcome().fields['alt']" />
            </div>
            <div class="field">
              <label for="image-position">Position</label>
              <input id="image-position" name="position" inputmode="numeric" [value]="(product.images ?? []).length" aria-describedby="image-position-error" />
              <app-field-error [id]="'image-position-error'" [message]="imageOutcome().fields['position']" />
            </div>
            <button type="submit">Upload</button>
          </form>
          <app-status [error]="imageOutcome().message" />
        </section>

        <section aria-labelledby="stock">
          <h2 id="stock">Stock</h2>
          <form class="inline-form" (submit)="adjust($event, product)" novalidate>
            @if ((product.options ?? []).length) {
              <div class="field">
                <label for="adjust-variant">Variant</label>
                <select id="adjust-variant" name="variantId">
                  @for (variant of product.variants ?? []; track variant.id) { <option [value]="variant.id">{{ variant.sku }} ({{ variant.stockQuantity }})</option> }
                </select>
              </div>
            }
            <div class="field">
              <label for="adjust-delta">Change (+10, -2)</label>
              <input id="adjust-delta" name="delta" inputmode="numeric" [attr.aria-invalid]="!!adjustOutcome().fields['delta']" aria-describedby="adjust-delta-error" />
              <app-field-error [id]="'adjust-delta-error'" [message]="adjustOutcome().fields['delta'] || adjustOutcome().message || undefined" />
            </div>
            <div class="field">
              <label for="adjust-reason">Reason</label>
              <input id="adjust-reason" name="reason" maxlength="200" [attr.aria-invalid]="!!adjustOutcome().fields['reason']" aria-describedby="adjust-reason-error" />
              <app-field-error [id]="'adjust-reason-error'" [message]="adjustOutcome().fields['reason']" />
            </div>
            <button type="submit">Adjust stock</button>
          </form>
          @switch (store.movements().status) {
            @case ('loading') { <app-status [loading]="true" /> }
            @case ('error') { <app-status [error]="errorOf(store.movements())" /> }
            @case ('ready') {
              <table class="stock-history">
                <caption>Stock movements, newest first</caption>
                <thead><tr><th scope="col">When</th><th scope="col">Variant</th><th scope="col">Change</th><th scope="col">Stock after</th><th scope="col">Reason</th></tr></thead>
                <tbody>
                  @for (move of valueOf(store.movements(), []); track $index) {
                    <tr><td>{{ move.createdAt | date: 'medium' }}</td><td>{{ skuOf(move.variantId) }}</td>
                      <td>{{ move.delta > 0 ? '+' : '' }}{{ move.delta }}</td><td>{{ move.stockAfter }}</td><td class="reason">{{ move.reason }}</td></tr>
                  } @empty { <tr><td colspan="5">No movement recorded.</td></tr> }
                </tbody>
              </table>
            }
          }
        </section>
      }
    }
    <p><a routerLink="/admin/products">All products</a></p>
  `,
})
export class ProductPage {
  readonly ref = input.required<string>();
  protected readonly store = inject(ProductAdminStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly maxOptions = MAX_OPTIONS;
  protected readonly options = signal<OptionDraft[]>([]);
  protected readonly variants = signal<VariantDraft[]>([]);
  protected readonly optionNames = computed(() => this.options().map((option) => option.name.trim()).filter(Boolean));
  protected readonly variantsOutcome = signal<FormOutcome>(NO_PROBLEM);
  protected readonly imageOutcome = signal<FormOutcome>(NO_PROBLEM);
  protected readonly adjustOutcome = signal<FormOutcome>(NO_PROBLEM);
  protected readonly stateOutcome = signal<FormOutcome>(NO_PROBLEM);
  private readonly loaded = computed(() => valueOf(this.store.product(), null));

  constructor() {
    effect(() => void this.store.load(this.ref()));
    effect(() => {  // the form starts again from the product as it now stands
      const product = this.loaded();
      if (product) this.resetDrafts(product);
    });
  }

  private resetDrafts(product: ProductDetail): void {
    this.options.set(optionDrafts(product));
    this.variants.set(variantDrafts(product));
  }

  protected error(field: string): string | undefined {
    return this.variantsOutcome().fields[field];
  }

  protected addOption(): void {
    this.options.update((all) => [...all, { name: '', values: '' }]);
  }

  protected setOption(index: number, key: keyof OptionDraft, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.options.update((all) => all.map((option, i) => (i === index ? { ...option, [key]: value } : option)));
  }

  protected addVariant(): void {
    this.variants.update((all) => [...all, { sku: '', options: {}, price: '', stockQuantity: '0', lowStockThreshold: 5,
                                             isActive: true }]);
  }

  protected removeVariant(index: number): void {
    this.variants.update((all) => all.filter((_, i) => i !== index));
  }

  protected setVariant(index: number, key: 'sku' | 'price' | 'stockQuantity', event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.variants.update((all) => all.map((variant, i) => (i === index ? { ...variant, [key]: value } : variant)));
  }

  protected setVariantOption(index: number, name: string, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.variants.update((all) => all.map((variant, i) =>
      (i === index ? { ...variant, options: { ...variant.options, [name]: value } } : variant)));
  }

  protected setActiveVariant(index: number, event: Event): void {
    const isActive = (event.target as HTMLInputElement).checked;
    this.variants.update((all) => all.map((variant, i) => (i === index ? { ...variant, isActive } : variant)));
  }

  protected async saveVariants(event: Event): Promise<void> {
    event.preventDefault();
    this.variantsOutcome.set(await this.store.saveVariants(variantsBody(this.options(), this.variants())));
  }

  protected async setActive(isActive: boolean): Promise<void> {
    this.stateOutcome.set(await this.store.setActive(isActive));
  }

  protected async uploadImage(event: Event): Promise<void> {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const form = new FormData(element);
    const file = element.querySelector<HTMLInputElement>('#image-file')?.files?.[0] ?? null;  // none: the API names the field
    const outcome = await this.store.uploadImage(file, String(form.get('alt') ?? ''), Number(form.get('position') || 0));
    this.imageOutcome.set(outcome);
    if (outcome.ok) element.reset();
  }

  protected async deleteImage(imageId: string): Promise<void> {
    this.imageOutcome.set(await this.store.deleteImage(imageId));
  }

  protected async adjust(event: Event, product: ProductDetail): Promise<void> {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const form = new FormData(element);
    const outcome = await this.store.adjustStock({
      delta: Number(String(form.get('delta') ?? '').replace('+', '')), reason: String(form.get('reason') ?? ''),
      variantId: (product.options ?? []).length ? String(form.get('variantId')) : null,
    });
    this.adjustOutcome.set(outcome);
    if (outcome.ok) element.reset();
  }

  protected skuOf(variantId: string | null | undefined): string {
    const variants = this.loaded()?.variants ?? [];
    return variants.find((variant) => variant.id === variantId)?.sku ?? this.loaded()?.sku ?? '';
  }
}
