import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type {
  OrderAction, PaymentRecord, StaffOrderDetail, StaffOrderPage, StaffOrderQuery,
} from '../../core/api/admin-api.types';
import { newIdempotencyKey } from '../../core/idempotency';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { FieldErrors } from '../../core/problem';
import { refusal } from '../form-outcome';

/** Every order for staff: the filtered list, one order, and the actions on it. */
@Injectable({ providedIn: 'root' })
export class OrdersStore {
  private readonly api = inject(AdminApiClient);
  readonly list = signal<LoadState<StaffOrderPage>>(LOADING);
  readonly order = signal<LoadState<StaffOrderDetail>>(LOADING);
  /** The order's payment attempts at providers, with what each provider said (captures, refunds). */
  readonly payments = signal<LoadState<PaymentRecord[]>>(LOADING);
  readonly busy = signal(false);
  readonly actionError = signal<string | null>(null);
  readonly fieldErrors = signal<FieldErrors>({});

  async loadList(query: StaffOrderQuery): Promise<void> {
    this.list.set(LOADING);
    this.list.set(await settle(this.api.orders(query)));
  }

  async loadOrder(orderId: string): Promise<void> {
    this.order.set(LOADING);
    this.payments.set(LOADING);
    this.clearErrors();
    const [order, payments] = await Promise.all([settle(this.api.order(orderId)), settle(this.api.payments(orderId))]);
    this.order.set(order);
    this.payments.set(payments);
  }

  act(orderId: string, action: OrderAction): Promise<boolean> {
    return this.run(() => this.api.act(orderId, action, newIdempotencyKey()));
  }

  ship(orderId: string, trackingNumber: string): Promise<boolean> {
    return this.run(() => this.api.ship(orderId, trackingNumber, newIdempotencyKey()));
  }

  /** ``amount`` empty refunds what is left in full. */
  refund(orderId: string, amount: string, reason: string): Promise<boolean> {
    return this.run(() => this.api.refund(orderId, { ...(amount ? { amount } : {}), reason }, newIdempotencyKey()));
  }

  clearErrors(): void {
    this.actionError.set(null);
    this.fieldErrors.set({});
  }

  /** One action at a time; its answer is the order as it now stands (its payments reread: a refund
   *  or a cancellation reaches the provider), its refusal shown by field. */
  private async run(call: () => Promise<StaffOrderDetail>): Promise<boolean> {
    this.busy.set(true);
    this.clearErrors();
    try {
      const order = await call();
      const payments = await settle(this.api.payments(order.orderId!));
      this.order.set({ status: 'ready', value: order });  // both at once: the page never shows one without the other
      this.payments.set(payments);
      return true;
    } catch (error) {
      const refused = refusal(error);
      this.fieldErrors.set(refused.fields);
      this.actionError.set(refused.message);
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
