import { ChangeDetectionStrategy, Component, effect, inject, input } from '@angular/core';
import { DatePipe } from '@angular/common';
import { Router, RouterLink } from '@angular/router';
import { errorOf, valueOf } from '../../core/load-state';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { ORDER_STATUSES, OrderStatus } from './order-statuses';
import { OrdersStore } from './orders.store';

const PAGE_SIZE = 20;

/** Every order, filtered by status and by the day range it was placed in; the filters live in the URL. */
@Component({
  imports: [DatePipe, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Orders</h1>
    <form class="filters" role="search" aria-label="Orders" (submit)="filter($event)">
      <label>Status
        <select name="status" [value]="status() ?? ''">
          <option value="">Any</option>
          @for (s of statuses; track s) { <option [value]="s" [selected]="s === status()">{{ s }}</option> }
        </select>
      </label>
      <label>Placed from <input type="date" name="from" [value]="from() ?? ''" /></label>
      <label>Placed until <input type="date" name="until" [value]="until() ?? ''" /></label>
      <button type="submit">Filter</button>
    </form>
    @switch (store.list().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.list())" /> }
      @case ('ready') {
        @let list = valueOf(store.list(), null)!;
        <p>{{ list.totalCount }} orders</p>
        <table>
          <caption class="visually-hidden">Orders</caption>
          <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Customer</th>
            <th scope="col">Status</th><th scope="col">Payment</th><th scope="col">Total</th></tr></thead>
          <tbody>
            @for (order of list.items; track order.orderId) {
              <tr>
                <td><a [routerLink]="['/admin/orders', order.orderId]">{{ order.orderId?.slice(0, 8) }}</a></td>
                <td>{{ order.orderDate | date: 'short' }}</td>
                <td>{{ order.customerEmail ?? 'guest' }}</td>
                <td class="order-status">{{ order.status }}</td>
                <td>{{ order.paymentStatus }}</td>
                <td>{{ order.totalAmount | price: order.currency }}</td>
              </tr>
            } @empty { <tr><td colspan="6">No order matches.</td></tr> }
          </tbody>
        </table>
        <nav class="pager" aria-label="Pages">
          @if (pageNumber() > 1) { <a [routerLink]="[]" [queryParams]="{ page: pageNumber() - 1 }" queryParamsHandling="merge">Previous</a> }
          @if (pageNumber() * pageSize < list.totalCount) {
            <a [routerLink]="[]" [queryParams]="{ page: pageNumber() + 1 }" queryParamsHandling="merge">Next</a>
          }
        </nav>
      }
    }
  `,
})
export class OrdersPage {
  readonly status = input<OrderStatus | undefined>(undefined);
  readonly from = input<string | undefined>(undefined);
  readonly until = input<string | undefined>(undefined);
  readonly page = input<string | undefined>(undefined);
  protected readonly store = inject(OrdersStore);
  private readonly router = inject(Router);
  protected readonly statuses = Object.keys(ORDER_STATUSES) as OrderStatus[];
  protected readonly pageSize = PAGE_SIZE;
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;

  constructor() {
    effect(() => void this.store.loadList({
      status: this.status() || undefined,
      placedFrom: this.from() ? startOfDay(this.from()!) : undefined,
      placedBefore: this.until() ? startOfDay(this.until()!, 1) : undefined,
      page: this.pageNumber(),
      pageSize: PAGE_SIZE,
    }));
  }

  protected pageNumber(): number {
    return Math.max(1, Number(this.page()) || 1);
  }

  protected filter(event: Event): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const queryParams: Record<string, string> = {};
    for (const key of ['status', 'from', 'until']) {
      const value = String(form.get(key) ?? '');
      if (value) queryParams[key] = value;
    }
    void this.router.navigate(['/admin/orders'], { queryParams });
  }
}

/** Midnight (local time) of a ``yyyy-mm-dd`` day, ``plusDays`` later, as an ISO instant. */
function startOfDay(day: string, plusDays = 0): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date + plusDays).toISOString();
}
