import { Injectable, inject, signal } from '@angular/core';
import type { Subscription } from 'rxjs';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { LOADING, LoadState } from '../../core/load-state';
import { ConsoleStore } from '../console.store';
import { parseFrames } from './event-frames';

const RECONNECT_MS = 3000;
const RELOAD_AFTER_MS = 500; // one reload for a burst of events (an order placed and paid)

const MOST = 100; // the API's largest page: the figures below read one page of each list
const PAID_FOR = new Set(['Paid', 'Processing', 'Shipped', 'Completed']);

export interface Figures {
  ordersToday: number | null;
  /** Today's takings (orders paid for, before refunds), a decimal string in the site's currency. */
  revenueToday: string | null;
  waitingToShip: number | null;
  lowStock: { name: string; stock: number }[] | null;
  failedJobs: number | null;
}

/** Cents of a decimal string from the API ("12.5" → 1250): money is added in whole cents, never as floats. */
export function cents(amount: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number((fraction + '00').slice(0, 2));
}

/** The day's figures; each asks only what the user may see (a figure they may not see stays null). */
@Injectable({ providedIn: 'root' })
export class DashboardStore {
  private readonly api = inject(AdminApiClient);
  private readonly console = inject(ConsoleStore);
  readonly figures = signal<LoadState<Figures>>(LOADING);
  /** Whether the figures follow the event stream (staff with ``orders:manage``). */
  readonly live = signal(false);
  private stream: Subscription | null = null;
  private lastEventId: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private following = false;

  async load(now = new Date()): Promise<void> {
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
    const orders = this.console.may('orders:manage');
    const [today, paid, processing, products, jobs] = await Promise.all([
      this.maybe(orders, () => this.api.orders({ placedFrom: midnight, pageSize: MOST })),
      this.maybe(orders, () => this.api.orders({ status: 'Paid', pageSize: 1 })),
      this.maybe(orders, () => this.api.orders({ status: 'Processing', pageSize: 1 })),
      this.maybe(this.console.may('catalog:write'), () => this.api.products({ sort: 'newest', pageSize: MOST })),
      this.maybe(this.console.may('jobs:read'), () => this.api.jobCounts()),
    ]);
    const takings = (today?.items ?? []).filter((order) => PAID_FOR.has(order.status ?? ''))
      .reduce((sum, order) => sum + cents(order.totalAmount ?? '0'), 0);
    this.figures.set({
      status: 'ready',
      value: {
        ordersToday: today?.totalCount ?? null,
        revenueToday: today ? (takings / 100).toFixed(2) : null,
        waitingToShip: paid && processing ? paid.totalCount + processing.totalCount : null,
        lowStock: products?.items.filter((p) => p.availability !== 'in_stock')
          .map((p) => ({ name: p.name ?? '', stock: p.stockQuantity ?? 0 })) ?? null,
        failedJobs: jobs?.failed ?? null,
      },
    });
  }

  /** Follow ``GET /api/events/stream``: each event (an order placed, paid, refunded, stock low)
   *  reloads the figures. A stream that ends (the token expired, a deploy) is opened again after
   *  its last event id, with the interceptor's fresh token. */
  follow(): void {
    if (!this.console.may('orders:manage')) return;
    this.following = true;
    this.open();
  }

  stop(): void {
    this.following = false;
    this.stream?.unsubscribe();
    this.stream = null;
    this.live.set(false);
    clearTimeout(this.timer);
  }

  private open(): void {
    let seen = 0;
    let buffer = '';
    this.stream = this.api.eventStream(this.lastEventId).subscribe({
      next: (text) => {
        this.live.set(true);
        buffer += text.slice(seen);
        seen = text.length;
        const { frames, rest } = parseFrames(buffer);
        buffer = rest;
        for (const frame of frames) this.lastEventId = frame.id ?? this.lastEventId;
        if (frames.some((frame) => frame.event && frame.event !== 'token-expired')) this.reloadSoon();
      },
      error: () => this.reopenLater(),
      complete: () => this.reopenLater(),
    });
  }

  private reopenLater(): void {
    this.live.set(false);
    if (this.following) this.timer = setTimeout(() => this.following && this.open(), RECONNECT_MS);
  }

  private reloadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), RELOAD_AFTER_MS);
  }

  /** A figure the user may not see, or that could not be read, is left out (null). */
  private maybe<T>(allowed: boolean, call: () => Promise<T>): Promise<T | null> {
    return allowed ? call().catch(() => null) : Promise.resolve(null);
  }
}
