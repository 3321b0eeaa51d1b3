import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { valueOf } from '../../core/load-state';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { ConsoleStore } from '../console.store';
import { DashboardStore } from './dashboard.store';

/** Today at a glance: orders and takings, what waits to ship, low stock, failed jobs; live when
 *  the user may follow orders. */
@Component({
  imports: [PricePipe, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Dashboard</h1>
    @if (valueOf(store.figures(), null); as figures) {
      <dl class="figures">
        @if (figures.ordersToday !== null) {
          <div><dt>Orders today</dt><dd class="orders-today">{{ figures.ordersToday }}</dd></div>
          <div><dt>Revenue today</dt><dd class="revenue-today">{{ figures.revenueToday | price: console.site()?.currency }}</dd></div>
        }
        @if (figures.waitingToShip !== null) {
          <div><dt>Waiting to ship</dt><dd><a routerLink="/admin/orders" [queryParams]="{ status: 'Processing' }">{{ figures.waitingToShip }}</a></dd></div>
        }
        @if (figures.failedJobs !== null) {
          <div><dt>Failed jobs</dt><dd><a routerLink="/admin/jobs" [queryParams]="{ state: 'failed' }">{{ figures.failedJobs }}</a></dd></div>
        }
      </dl>
      @if (figures.lowStock; as low) {
        <h2>Low stock</h2>
        <ul>
          @for (item of low; track item.name) { <li>{{ item.name }}: {{ item.stock }} left</li> } @empty { <li>Nothing runs low.</li> }
        </ul>
      }
      <p class="live" role="status">{{ store.live() ? 'Live: the figures follow new orders and payments.' : '' }}</p>
      <button type="button" (click)="store.load()">Refresh</button>
    } @else {
      <app-status [loading]="true" />
    }
  `,
})
export class DashboardPage {
  protected readonly store = inject(DashboardStore);
  protected readonly console = inject(ConsoleStore);
  protected readonly valueOf = valueOf;

  constructor() {
    void this.store.load();
    this.store.follow();
    inject(DestroyRef).onDestroy(() => this.store.stop());
  }
}
