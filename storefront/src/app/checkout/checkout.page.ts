import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { OrderAddress, PaymentMethod } from '../core/api/api.types';
import { CartStore } from '../cart/cart.store';
import { FieldErrorComponent } from '../shared/field-error.component';
import { PriceBreakdownComponent } from '../shared/price-breakdown.component';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { CheckoutStore } from './checkout.store';
import { PAYMENT_METHODS } from './payment-methods';

const ADDRESS_FIELDS: { name: keyof OrderAddress; label: string; autocomplete: string }[] = [
  { name: 'name', label: 'Full name', autocomplete: 'name' },
  { name: 'street', label: 'Street', autocomplete: 'address-line1' },
  { name: 'street2', label: 'Street (line 2)', autocomplete: 'address-line2' },
  { name: 'city', label: 'City', autocomplete: 'address-level2' },
  { name: 'state', label: 'State', autocomplete: 'address-level1' },
  { name: 'zipCode', label: 'ZIP code', autocomplete: 'postal-code' },
  { name: 'country', label: 'Country', autocomplete: 'country' },
  { name: 'phone', label: 'Phone', autocomplete: 'tel' },
];

/** The address (checked by the API, its errors shown beside the fields), the shipping method for its
 *  country (when the shop prices by destination), the price breakdown, the payment method, Place order. */
@Component({
  imports: [FieldErrorComponent, PriceBreakdownComponent, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Checkout</h1>
    @let cart = cartStore.cart();
    @if (cart && !cart.lines.length) {
      <p>Your cart is empty. <a routerLink="/products">Browse the shop</a>.</p>
    } @else {
      @if (cart) { <p>{{ cart.itemCount }} item(s), subtotal <strong>{{ cart.subtotal | price: cart.currency }}</strong>. <a routerLink="/cart">Edit cart</a></p> }
      <form (submit)="place($event)" novalidate aria-labelledby="address-heading">
        <fieldset>
          <legend id="address-heading">Shipping address</legend>
          @for (field of addressFields; track field.name) {
            @let message = errors()['shippingAddress.' + field.name]
              || (field.name === 'country' ? cartStore.fieldErrors()['country'] : undefined);
            <div class="field">
              <label [for]="'ship-' + field.name">{{ field.label }}</label>
              <input [id]="'ship-' + field.name" [name]="field.name" [attr.autocomplete]="field.autocomplete"
                     (change)="field.name === 'country' && destinationChanged($event)"
                     [attr.aria-invalid]="message ? 'true' : null"
                     [attr.aria-describedby]="message ? 'ship-' + field.name + '-error' : null" />
              <app-field-error [id]="'ship-' + field.name + '-error'" [message]="message" />
            </div>
          }
        </fieldset>
        @if (cartStore.pricesByDestination()) {
          <fieldset>
            <legend>Shipping method</legend>
            @for (method of cartStore.shippingMethods(); track method.code) {
              <label class="choice">
                <input type="radio" name="shippingMethod" [value]="method.code"
                       [checked]="method.code === cartStore.shippingMethod()" (change)="chooseShipping(method.code!)" />
                {{ method.label }} — {{ method.amount | price: cart?.currency }}
              </label>
            } @empty { <p>Enter your country to see the shipping methods.</p> }
            <app-field-error id="shipping-method-error"
                             [message]="cartStore.fieldErrors()['shippingMethod'] || errors()['shippingMethod']" />
          </fieldset>
        }
        @if (cart) { <app-price-breakdown [prices]="cart" /> }
        <fieldset>
          <legend>Payment method</legend>
          @for (method of methods; track method[0]; let first = $first) {
            <label class="choice"><input type="radio" name="paymentMethod" [value]="method[0]" [checked]="first" /> {{ method[1] }}</label>
          }
          <app-field-error id="payment-error" [message]="errors()['paymentMethod']" />
        </fieldset>
        <app-status [error]="store.error()" />
        <button type="submit" [attr.aria-disabled]="store.placing()">{{ store.placing() ? 'Placing your order…' : 'Place order' }}</button>
      </form>
    }
  `,
})
export class CheckoutPage implements OnInit {
  protected readonly store = inject(CheckoutStore);
  protected readonly cartStore = inject(CartStore);
  protected readonly addressFields = ADDRESS_FIELDS;
  protected readonly methods = Object.entries(PAYMENT_METHODS) as [PaymentMethod, string][];
  protected readonly errors = this.store.fieldErrors;

  ngOnInit(): void {
    void this.cartStore.load();
  }

  /** The shop prices shipping and tax by country: quote the cart for the one typed. */
  protected destinationChanged(event: Event): void {
    const country = (event.target as HTMLInputElement).value.trim();
    if (this.cartStore.pricesByDestination() && country) void this.cartStore.setDestination({ country });
  }

  protected chooseShipping(shippingMethod: string): void {
    const country = this.cartStore.cart()?.pricingInputs?.['country'];
    if (country) void this.cartStore.setDestination({ country, shippingMethod });
  }

  protected place(event: Event): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const address: Record<string, string> = {};
    for (const { name } of ADDRESS_FIELDS) {
      const value = String(form.get(name) ?? '').trim();
      if (value) address[name] = value;
    }
    const shippingMethod = form.get('shippingMethod');
    void this.store.place({
      fromCart: true,
      paymentMethod: String(form.get('paymentMethod')) as PaymentMethod,
      shippingAddress: address as unknown as OrderAddress,
      ...(shippingMethod ? { shippingMethod: String(shippingMethod) } : {}),
    });
  }
}
