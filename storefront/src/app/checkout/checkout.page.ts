import { ChangeDetectionStrategy, Component, OnInit, computed, effect, inject, linkedSignal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { PaymentMethod } from '../core/api/api.types';
import { valueOf } from '../core/load-state';
import { AddressBookStore } from '../account/address-book.store';
import { CartStore } from '../cart/cart.store';
import { AddressFieldsComponent, readAddress } from '../shared/address-fields.component';
import { FieldErrorComponent } from '../shared/field-error.component';
import { PriceBreakdownComponent } from '../shared/price-breakdown.component';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { CheckoutStore } from './checkout.store';
import { PAYMENT_METHODS } from './payment-methods';

/** A saved address or a new one (checked by the API, its errors shown beside the fields), the
 *  shipping method for its country (when the shop prices by destination), the price breakdown,
 *  the payment method, Place order. */
@Component({
  imports: [AddressFieldsComponent, FieldErrorComponent, PriceBreakdownComponent, PricePipe, RouterLink, StatusComponent],
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
          @for (saved of savedAddresses(); track saved.id) {
            <label class="choice"><input type="radio" name="savedAddress" [value]="saved.id" [checked]="chosen() === saved.id"
                                         (change)="chosen.set(saved.id!)" />
              {{ saved.name ? saved.name + ', ' : '' }}{{ saved.street }}, {{ saved.zipCode }} {{ saved.city }}</label>
          }
          @if (savedAddresses().length) {
            <label class="choice"><input type="radio" name="savedAddress" value="" [checked]="chosen() === ''"
                                         (change)="chosen.set('')" /> A new address</label>
            <app-field-error id="saved-address-error" [message]="errors()['shippingAddressId']" />
          }
          @if (chosen() === '') {
            <app-address-fields idPrefix="ship" errorPrefix="shippingAddress." [errors]="addressErrors()"
                                (countryChange)="destinationChanged($event)" />
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
  private readonly addressBook = inject(AddressBookStore);
  protected readonly savedAddresses = () => valueOf(this.addressBook.addresses(), []);
  /** The saved address's id, or '' for a new one typed in. */
  protected readonly chosen = linkedSignal(() => this.addressBook.preferred()?.id ?? '');
  protected readonly methods = Object.entries(PAYMENT_METHODS) as [PaymentMethod, string][];
  protected readonly errors = this.store.fieldErrors;
  /** The checkout's errors, and the cart's refusal of the country typed, beside the address inputs. */
  protected readonly addressErrors = computed(() => {
    const country = this.cartStore.fieldErrors()['country'];
    return country ? { 'shippingAddress.country': country, ...this.errors() } : this.errors();
  });

  constructor() {
    // a saved address chosen: the cart is quoted for its country, as for one typed in
    effect(() => {
      const country = this.savedAddresses().find((address) => address.id === this.chosen())?.country;
      if (country) untracked(() => this.destinationChanged(country));
    });
  }

  ngOnInit(): void {
    void this.cartStore.load();
    void this.addressBook.load();
  }

  /** The shop prices shipping and tax by country: quote the cart for the one given. */
  protected destinationChanged(country: string): void {
    if (this.cartStore.pricesByDestination() && country) void this.cartStore.setDestination({ country });
  }

  protected chooseShipping(shippingMethod: string): void {
    const country = this.cartStore.cart()?.pricingInputs?.['country'];
    if (country) void this.cartStore.setDestination({ country, shippingMethod });
  }

  protected place(event: Event): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const chosen = this.chosen();
    const shippingMethod = form.get('shippingMethod');
    void this.store.place({
      fromCart: true,
      paymentMethod: String(form.get('paymentMethod')) as PaymentMethod,
      ...(chosen ? { shippingAddressId: chosen } : { shippingAddress: readAddress(form) }),
      ...(shippingMethod ? { shippingMethod: String(shippingMethod) } : {}),
    });
  }
}
