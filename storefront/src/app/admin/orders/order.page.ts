import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import type { OrderAction } from '../../core/api/admin-api.types';
import { errorOf, valueOf } from '../../core/load-state';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { NEXT_STEPS } from './order-statuses';
import { OrdersStore } from './orders.store';

const BUTTONS: { action: OrderAction; label: string }[] = [
  { action: 'mark-paid', label: 'Mark paid' },
  { action: 'process', label: 'Mark processing' },
  { action: 'complete', label: 'Complete' },
  { action: 'cancel', label: 'Cancel order' },
];

/** One order for staff: lines, addresses, payment and its records at providers, history, and the next
 *  steps from its status. */
@Component({
  imports: [DatePipe, FieldErrorComponent, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Order {{ orderId().slice(0, 8) }}</h1>
    @switch (store.order().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.order())" /> }
      @case ('ready') {
        @let order = valueOf(store.order(), null)!;
        <p>Placed {{ order.orderDate | date: 'medium' }} by {{ order.customerEmail ?? 'a guest' }} —
          status <strong class="order-status">{{ order.status }}</strong></p>
        <h2>Payment</h2>
        <p>{{ order.paymentMethod }}: <span class="payment-status">{{ order.paymentStatus }}</span>;
          total {{ order.totalAmount | price: order.currency }},
          refunded <span class="refunded">{{ order.refundedAmount | price: order.currency }}</span></p>
        @switch (store.payments().status) {
          @case ('loading') { <app-status [loading]="true" /> }
          @case ('error') { <app-status [error]="errorOf(store.payments())" /> }
          @case ('ready') {
            <table class="payments">
              <caption>Payment records at providers, oldest first</caption>
              <thead><tr><th scope="col">Started</th><th scope="col">Provider</th><th scope="col">Reference</th><th scope="col">Status</th>
                <th scope="col">Amount</th><th scope="col">Refunded</th><th scope="col">Provider events</th></tr></thead>
              <tbody>
                @for (payment of valueOf(store.payments(), []); track payment.paymentId) {
                  <tr class="payment-record">
                    <td>{{ payment.createdAt | date: 'medium' }}</td><td>{{ payment.provider }}</td><td>{{ payment.reference ?? '—' }}</td>
                    <td class="payment-record-status">{{ payment.status }}</td><td>{{ payment.amount | price: payment.currency }}</td>
                    <td class="payment-record-refunded">{{ payment.refundedAmount | price: payment.currency }}</td>
                    <td><ul class="payment-events">
                      @for (event of payment.events ?? []; track event.eventId) {
                        <li>{{ event.receivedAt | date: 'medium' }}: {{ event.kind }}{{ event.amount ? ' ' + (event.amount | price: payment.currency) : '' }}</li>
                      } @empty { <li>none yet</li> }
                    </ul></td>
                  </tr>
                } @empty { <tr><td colspan="7">No payment through a provider ({{ order.paymentMethod }}).</td></tr> }
              </tbody>
            </table>
          }
        }
        @if (order.trackingNumber) { <p>Tracking number: <strong class="tracking">{{ order.trackingNumber }}</strong></p> }
        <table>
          <caption class="visually-hidden">Items</caption>
          <thead><tr><th scope="col">Product</th><th scope="col">Quantity</th><th scope="col">Total</th></tr></thead>
          <tbody>
            @for (line of order.items ?? []; track line.variantId) {
              <tr><td>{{ line.name }}</td><td>{{ line.quantity }}</td><td>{{ line.lineTotal | price: order.currency }}</td></tr>
            }
          </tbody>
        </table>
        @if (order.shippingAddress; as to) {
          <p>Ship to: {{ [to.name, to.street, to.street2, to.zipCode + ' ' + to.city, to.state, to.country].filter(present).join(', ') }}</p>
        }

        <h2>Next steps</h2>
        <div class="actions">
          @for (button of buttons(); track button.action) {
            <button type="button" [disabled]="store.busy()" (click)="store.act(order.orderId!, button.action)">{{ button.label }}</button>
          }
        </div>
        @if (offers('ship')) {
          <form class="inline-form" (submit)="ship($event, order.orderId!)" novalidate>
            <div class="field">
              <label for="tracking-number">Tracking number</label>
              <input id="tracking-number" name="trackingNumber" maxlength="100" [attr.aria-invalid]="!!errors()['trackingNumber']"
                     aria-describedby="tracking-number-error" />
              <app-field-error [id]="'tracking-number-error'" [message]="errors()['trackingNumber']" />
            </div>
            <button type="submit" [disabled]="store.busy()">Ship</button>
          </form>
        }
        @if (offers('refund')) {
          <form class="inline-form" (submit)="reviewRefund($event)" novalidate>
            <div class="field">
              <label for="refund-amount">Refund amount (empty: everything not yet refunded)</label>
              <input id="refund-amount" name="amount" inputmode="decimal" [attr.aria-invalid]="!!errors()['amount']"
                     aria-describedby="refund-amount-error" />
              <app-field-error [id]="'refund-amount-error'" [message]="errors()['amount']" />
            </div>
            <div class="field">
              <label for="refund-reason">Reason</label>
              <input id="refund-reason" name="reason" maxlength="500" [attr.aria-invalid]="!!errors()['reason']"
                     aria-describedby="refund-reason-error" />
              <app-field-error [id]="'refund-reason-error'" [message]="errors()['reason']" />
            </div>
            @if (pendingRefund(); as refund) {
              <div class="confirm" role="alertdialog" aria-labelledby="confirm-refund">
                <p id="confirm-refund">Refund {{ refund.amount ? (refund.amount | price: order.currency) : 'everything not yet refunded' }}
                  to the customer? This cannot be undone.</p>
                <button type="button" [disabled]="store.busy()" (click)="confirmRefund(order.orderId!)">Confirm refund</button>
                <button type="button" class="secondary" (click)="pendingRefund.set(null)">Back</button>
              </div>
            } @else {
              <button type="submit">Refund…</button>
              <button type="button" class="secondary" (click)="reviewFullRefund($event)">Refund in full…</button>
            }
          </form>
        }
        <app-status [error]="store.actionError()" />

        <h2>History</h2>
        <ol class="history">
          @for (entry of order.history ?? []; track $index) {
            <li>{{ entry.occurredAt | date: 'medium' }}: {{ entry.fromStatus ?? 'new' }} → {{ entry.toStatus }}
              ({{ entry.actor }}){{ entry.note ? ': ' + entry.note : '' }}</li>
          }
        </ol>
      }
    }
    <p><a routerLink="/admin/orders">All orders</a></p>
  `,
})
export class OrderPage {
  readonly orderId = input.required<string>();
  protected readonly store = inject(OrdersStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly errors = this.store.fieldErrors;
  protected readonly pendingRefund = signal<{ amount: string; reason: string } | null>(null);
  private readonly steps = computed(() => NEXT_STEPS[valueOf(this.store.order(), null)?.status ?? ''] ?? []);
  protected readonly buttons = computed(() => BUTTONS.filter((button) => this.steps().includes(button.action)));

  constructor() {
    effect(() => void this.store.loadOrder(this.orderId()));
  }

  protected readonly present = (part: string | undefined) => !!part;

  protected offers(step: string): boolean {
    return this.steps().includes(step);
  }

  protected ship(event: Event, orderId: string): void {
    event.preventDefault();
    void this.store.ship(orderId, String(new FormData(event.target as HTMLFormElement).get('trackingNumber') ?? ''));
  }

  /** The confirmation step: nothing is refunded until the amount is confirmed. */
  protected reviewRefund(event: Event): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.store.clearErrors();
    this.pendingRefund.set({ amount: String(form.get('amount') ?? '').trim(), reason: String(form.get('reason') ?? '') });
  }

  /** The same step for everything not yet refunded, whatever the amount field holds. */
  protected reviewFullRefund(event: Event): void {
    const form = new FormData((event.target as HTMLButtonElement).form!);
    this.store.clearErrors();
    this.pendingRefund.set({ amount: '', reason: String(form.get('reason') ?? '') });
  }

  protected async confirmRefund(orderId: string): Promise<void> {
    const refund = this.pendingRefund();
    if (!refund) return;
    await this.store.refund(orderId, refund.amount, refund.reason);
    this.pendingRefund.set(null);
  }
}
