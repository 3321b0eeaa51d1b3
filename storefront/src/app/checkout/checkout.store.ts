import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { OrderDetail, PlaceOrder } from '../core/api/api.types';
import { newIdempotencyKey } from '../core/idempotency';
import { LOADING, LoadState } from '../core/load-state';
import { FieldErrors, describeProblem } from '../core/problem';
import { CartStore } from '../cart/cart.store';

const POLL_MS = 1000;
const POLLS = 15;

/**
 * Placing the order and paying by redirect. One placement attempt has one ``Idempotency-Key``:
 * a second click while it runs joins it, and a retry of the same attempt replays the first answer.
 */
@Injectable({ providedIn: 'root' })
export class CheckoutStore {
  private readonly api = inject(ApiClient);
  private readonly cart = inject(CartStore);
  private readonly document = inject(DOCUMENT);
  readonly placing = signal(false);
  readonly error = signal<string | null>(null);
  readonly fieldErrors = signal<FieldErrors>({});
  readonly returned = signal<LoadState<OrderDetail>>(LOADING);
  private attempt: Promise<void> | null = null;

  place(order: PlaceOrder): Promise<void> {
    this.attempt ??= this.placeOnce(order, newIdempotencyKey()).finally(() => { this.attempt = null; });
    return this.attempt;
  }

  /** The order-return page: the provider sent the shopper back; the webhook may still be on its way. */
  async followReturn(orderId: string): Promise<void> {
    this.returned.set(LOADING);
    for (let poll = 0; poll < POLLS; poll++) {
      try {
        const order = await this.api.order(orderId);
        this.returned.set({ status: 'ready', value: order });
        if (order.status !== 'Pending') return;
      } catch (error) {
        this.returned.set({ status: 'error', message: describeProblem(error).message });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async placeOnce(order: PlaceOrder, key: string): Promise<void> {
    this.placing.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const placed = await this.api.placeOrder(order, key);
      this.cart.forget();
      const returnUrl = `${this.document.location.origin}/checkout/return/${placed.orderId}`;
      const payment = await this.api.startPayment(placed.orderId!, returnUrl);
      if (!payment.approvalUrl) throw new Error('This payment method cannot send you to its payment page.');
      this.document.location.assign(payment.approvalUrl);
    } catch (error) {
      const problem = describeProblem(error);
      this.fieldErrors.set(problem.fields);
      this.error.set(error instanceof Error && !('status' in error) ? error.message : problem.message);
      this.placing.set(false);
    }
  }
}
