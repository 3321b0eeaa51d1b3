import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { errorOf, valueOf } from '../core/load-state';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { CheckoutStore } from './checkout.store';

/** Where the payment provider sends the shopper back: the order and its (settling) status. */
@Component({
  imports: [PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Thank you</h1>
    @switch (store.returned().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.returned())" /> }
      @case ('ready') {
        @let order = valueOf(store.returned(), null)!;
        <p>Order <strong>{{ order.orderId }}</strong> of {{ order.totalAmount | price: order.currency }}.</p>
        <p role="status">Status: <strong class="order-status">{{ order.status }}</strong>
          @if (order.status === 'Pending') { (waiting for the payment to be confirmed…) }</p>
        <a [routerLink]="['/account/orders', order.orderId]">Order details</a>
      }
    }
  `,
})
export class OrderReturnPage {
  readonly orderId = input.required<string>();
  protected readonly store = inject(CheckoutStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;

  constructor() {
    effect(() => {
      const orderId = this.orderId();
      untracked(() => void this.store.followReturn(orderId));
    });
  }
}
