import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { errorOf, valueOf } from '../core/load-state';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { AccountStore } from './account.store';

/** The states in which a shopper may still cancel (docs/orders.md; the API decides in the end). */
const CANCELLABLE = new Set(['Pending', 'Paid']);

@Component({
  imports: [DatePipe, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Order</h1>
    @switch (store.order().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.order())" /> }
      @case ('ready') {
        @let order = valueOf(store.order(), null)!;
        <p>Placed {{ order.orderDate | date: 'medium' }} — status <strong class="order-status">{{ order.status }}</strong></p>
        <table>
          <caption class="visually-hidden">Items</caption>
          <thead><tr><th scope="col">Product</th><th scope="col">Quantity</th><th scope="col">Total</th></tr></thead>
          <tbody>
            @for (line of order.items ?? []; track line.variantId) {
              <tr><td>{{ line.name }}</td><td>{{ line.quantity }}</td><td>{{ line.lineTotal | price: order.currency }}</td></tr>
            }
          </tbody>
        </table>
        <p>Total: <strong>{{ order.totalAmount | price: order.currency }}</strong></p>
        <h2>History</h2>
        <ol>
          @for (entry of order.history ?? []; track $index) {
            <li>{{ entry.occurredAt | date: 'medium' }}: {{ entry.fromStatus ?? 'new' }} → {{ entry.toStatus }}</li>
          }
        </ol>
        @if (cancellable()) {
          <button type="button" (click)="store.cancel(order.orderId!)" [disabled]="store.cancelling()">Cancel order</button>
        }
        <app-status [error]="store.actionError()" />
      }
    }
    <p><a routerLink="/account/orders">All my orders</a></p>
  `,
})
export class OrderPage {
  readonly orderId = input.required<string>();
  protected readonly store = inject(AccountStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly cancellable = computed(() => CANCELLABLE.has(valueOf(this.store.order(), null)?.status ?? ''));

  constructor() {
    effect(() => {
      const orderId = this.orderId();
      untracked(() => void this.store.loadOrder(orderId));
    });
  }
}
