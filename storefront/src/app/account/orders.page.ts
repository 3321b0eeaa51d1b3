import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { errorOf, valueOf } from '../core/load-state';
import { PricePipe } from '../shared/price.pipe';
import { StatusComponent } from '../shared/status.component';
import { AccountStore } from './account.store';

@Component({
  imports: [DatePipe, PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>My orders</h1>
    @switch (store.orders().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.orders())" /> }
      @case ('ready') {
        @let page = valueOf(store.orders(), null)!;
        <ul class="orders">
          @for (order of page.items; track order.orderId) {
            <li><a [routerLink]="['/account/orders', order.orderId]">{{ order.orderDate | date: 'medium' }}</a>
              — {{ order.totalAmount | price: order.currency }} — <span class="order-status">{{ order.status }}</span></li>
          } @empty { <li>No orders yet. <a routerLink="/products">Start shopping</a>.</li> }
        </ul>
        <nav aria-label="Pages" class="pager">
          @if (page.page > 1) { <a routerLink="." [queryParams]="{ page: page.page - 1 }">Previous</a> }
          @if (page.page * page.pageSize < page.totalCount) { <a routerLink="." [queryParams]="{ page: page.page + 1 }">Next</a> }
        </nav>
      }
    }
  `,
})
export class OrdersPage {
  readonly page = input<string>('1');
  protected readonly store = inject(AccountStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;

  constructor() {
    effect(() => {
      const page = Math.max(1, Number(this.page()) || 1);
      untracked(() => void this.store.loadOrders(page));
    });
  }
}
