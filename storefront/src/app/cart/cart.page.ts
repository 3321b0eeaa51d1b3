import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { FieldErrorComponent } from '../shared/field-error.component';
import { PriceBreakdownComponent } from '../shared/price-breakdown.component';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { CartStore } from './cart.store';

/** The cart: quantities, removal, the lines whose price or stock changed since they were added, a
 *  coupon field (its refusal shown next to it) and the price breakdown. */
@Component({
  imports: [FieldErrorComponent, PriceBreakdownComponent, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Your cart</h1>
    @let cart = store.cart();
    @if (!cart && store.loading()) { <app-status [loading]="true" /> }
    <app-status [error]="store.error()" />
    @if (cart) {
      @if (cart.lines.length) {
        <table class="cart">
          <caption class="visually-hidden">Items in your cart</caption>
          <thead><tr><th scope="col">Product</th><th scope="col">Price</th><th scope="col">Quantity</th><th scope="col">Total</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (line of cart.lines; track line.variantId) {
              <tr>
                <td>
                  <a [routerLink]="['/products', line.slug]">{{ line.name }}</a>
                  @if (line.priceChanged) { <p class="flag">Price changed from {{ line.priceWhenAdded | price: cart.currency }}</p> }
                  @if (line.availability === 'insufficient_stock') { <p class="flag">Only {{ line.availableQuantity }} in stock</p> }
                  @if (line.availability === 'unavailable') { <p class="flag">No longer available</p> }
                </td>
                <td>{{ line.unitPrice | price: cart.currency }}</td>
                <td>
                  <label class="visually-hidden" [for]="'qty-' + line.variantId">Quantity of {{ line.name }}</label>
                  <input [id]="'qty-' + line.variantId" type="number" min="1" max="99" [value]="line.quantity"
                         (change)="store.setQuantity(line.variantId, +$any($event.target).value)" />
                </td>
                <td>
                  {{ line.lineTotal | price: cart.currency }}
                  @if (line.discount && line.discount !== '0.00') { <p class="saving">You save {{ line.discount | price: cart.currency }}</p> }
                </td>
                <td><button type="button" (click)="store.remove(line.variantId)">Remove<span class="visually-hidden"> {{ line.name }}</span></button></td>
              </tr>
            }
          </tbody>
        </table>
        @let couponError = store.fieldErrors()['code'] || cart.notices?.['coupon'];
        <form class="coupon" (submit)="applyCoupon($event)" novalidate>
          <label for="coupon-code">Coupon code</label>
          <input id="coupon-code" name="code" autocomplete="off" [value]="cart.pricingInputs?.['coupon'] ?? ''"
                 [attr.aria-invalid]="couponError ? 'true' : null"
                 [attr.aria-describedby]="couponError ? 'coupon-code-error' : null" />
          <button type="submit">Apply</button>
          @if (cart.pricingInputs?.['coupon']) { <button type="button" (click)="store.removeCoupon()">Remove coupon</button> }
          <app-field-error id="coupon-code-error" [message]="couponError" />
        </form>
        <app-price-breakdown [prices]="cart" />
        <a class="button" routerLink="/checkout">Checkout</a>
      } @else {
        <p>Your cart is empty. <a routerLink="/products">Browse the shop</a>.</p>
      }
    }
  `,
})
export class CartPage implements OnInit {
  protected readonly store = inject(CartStore);

  ngOnInit(): void {
    void this.store.load();
  }

  protected applyCoupon(event: Event): void {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get('code') ?? '').trim();
    void this.store.applyCoupon(code);
  }
}
