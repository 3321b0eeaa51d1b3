import { Injectable, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { OrderDetail, OrderPage } from '../core/api/api.types';
import { newIdempotencyKey } from '../core/idempotency';
import { LOADING, LoadState, settle } from '../core/load-state';
import { describeProblem } from '../core/problem';

/** The signed-in shopper's orders: the list, one order with its history, cancelling. */
@Injectable({ providedIn: 'root' })
export class AccountStore {
  private readonly api = inject(ApiClient);
  readonly orders = signal<LoadState<OrderPage>>(LOADING);
  readonly order = signal<LoadState<OrderDetail>>(LOADING);
  readonly actionError = signal<string | null>(null);
  readonly cancelling = signal(false);

  async loadOrders(page: number): Promise<void> {
    this.orders.set(LOADING);
    this.orders.set(await settle(this.api.orders(page)));
  }

  async loadOrder(orderId: string): Promise<void> {
    this.order.set(LOADING);
    this.actionError.set(null);
    this.order.set(await settle(this.api.order(orderId)));
  }

  async cancel(orderId: string): Promise<void> {
    this.cancelling.set(true);
    this.actionError.set(null);
    try {
      await this.api.cancelOrder(orderId, newIdempotencyKey());
      this.order.set(await settle(this.api.order(orderId)));
    } catch (error) {
      this.actionError.set(describeProblem(error).message);
    } finally {
      this.cancelling.set(false);
    }
  }
}
