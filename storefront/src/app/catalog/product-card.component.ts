import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Product } from '../core/api/api.types';
import { PricePipe } from '../shared/price.pipe';

@Component({
  selector: 'app-product-card',
  imports: [RouterLink, PricePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let p = product();
    <article class="card">
      @if (p.imageUrls?.['card']; as src) {
        <img [src]="src" alt="" width="300" height="300" [attr.loading]="eager() ? null : 'lazy'"
             [attr.fetchpriority]="eager() ? 'high' : null" />
      }
      <h3><a [routerLink]="['/products', p.slug]">{{ p.name }}</a></h3>
      <p class="price">{{ p.price | price: p.currency }}</p>
      @if (p.availability === 'out_of_stock') { <p class="flag">Out of stock</p> }
      @else if (p.availability === 'low_stock') { <p class="flag">Only a few left</p> }
    </article>
  `,
})
export class ProductCardComponent {
  readonly product = input.required<Product>();
  /** The first row of a page: loaded at once, it is what the shopper sees first. */
  readonly eager = input(false);
}
