import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { errorOf, valueOf } from '../../core/load-state';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { ConsoleStore } from '../console.store';
import { SiteFileNoteComponent } from './site-file-note.component';
import { SiteSettingsStore } from './site-settings.store';
import { destinations, rateInWords } from './shipping-rate';

/** The site's shipping methods and zones, read only. */
@Component({
  imports: [PricePipe, SiteFileNoteComponent, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Shipping</h1>
    <app-site-file-note section="plugins.shipping" />
    @switch (store.shipping().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.shipping())" /> }
      @case ('ready') {
        @if (valueOf(store.shipping(), null); as shipping) {
          <h2>Methods</h2>
          <p>Shoppers choose among the methods to their country; without a choice the cheapest is taken.</p>
          <table class="shipping-methods">
            <caption class="visually-hidden">Shipping methods</caption>
            <thead><tr><th scope="col">Method</th><th scope="col">Code</th><th scope="col">Ships to</th>
              <th scope="col">Rate</th><th scope="col">Free from</th></tr></thead>
            <tbody>
              @for (method of shipping.methods; track method.code) {
                <tr [attr.data-method]="method.code">
                  <td>{{ method.label }}</td><td><code>{{ method.code }}</code></td><td>{{ destinations(method) }}</td>
                  <td class="rate">{{ rateInWords(method, currency()) }}</td>
                  <td>{{ method.freeAbove ? (method.freeAbove | price: currency()) : '—' }}</td>
                </tr>
              }
            </tbody>
          </table>
          <h2>Zones</h2>
          <table class="shipping-zones">
            <caption class="visually-hidden">Shipping zones</caption>
            <thead><tr><th scope="col">Zone</th><th scope="col">Countries</th></tr></thead>
            <tbody>
              @for (zone of zones(); track zone[0]) {
                <tr><td><code>{{ zone[0] }}</code></td><td>{{ zone[1].join(', ') }}</td></tr>
              } @empty { <tr><td colspan="2">No zone: the methods name their countries.</td></tr> }
            </tbody>
          </table>
        }
      }
    }
  `,
})
export class ShippingPage {
  protected readonly store = inject(SiteSettingsStore);
  private readonly console = inject(ConsoleStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly destinations = destinations;
  protected readonly rateInWords = rateInWords;
  /** The zones in the site file's order. */
  protected readonly zones = computed(() => Object.entries(valueOf(this.store.shipping(), null)?.zones ?? {}));

  constructor() {
    void this.store.loadShipping();
  }

  protected currency(): string | undefined {
    return this.console.site()?.currency;
  }
}
