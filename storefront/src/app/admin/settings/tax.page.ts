import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { errorOf, valueOf } from '../../core/load-state';
import { StatusComponent } from '../../shared/status.component';
import { SiteFileNoteComponent } from './site-file-note.component';
import { SiteSettingsStore } from './site-settings.store';

/** The site's tax rates by country, region and tax class, read only. */
@Component({
  imports: [SiteFileNoteComponent, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Tax</h1>
    <app-site-file-note section="plugins.tax" />
    @switch (store.tax().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.tax())" /> }
      @case ('ready') {
        @if (valueOf(store.tax(), null); as tax) {
          <dl class="tax-rules">
            <dt>Prices</dt>
            <dd class="prices-include-tax">{{ tax.pricesIncludeTax ? 'include tax: it is taken out of them, totals stay as priced'
                                                                     : 'exclude tax: it is added at checkout' }}</dd>
            <dt>Shipping</dt>
            <dd>{{ tax.shippingTaxable ? "taxed at the standard class's rates" : 'not taxed' }}</dd>
          </dl>
          <h2>Rates</h2>
          <p>Every rate of the destination applies to the lines of its tax class; a class without a rate there pays no tax.</p>
          <table class="tax-rates">
            <caption class="visually-hidden">Tax rates</caption>
            <thead><tr><th scope="col">Country</th><th scope="col">Region</th><th scope="col">Tax class</th>
              <th scope="col">Rate</th><th scope="col">Label</th><th scope="col">Code</th></tr></thead>
            <tbody>
              @for (rate of tax.rates; track rate.code) {
                <tr [attr.data-rate]="rate.code">
                  <td>{{ rate.country }}</td><td>{{ rate.region ?? 'all' }}</td><td>{{ rate.taxClass }}</td>
                  <td class="percent">{{ rate.percent }} %</td><td>{{ rate.label }}</td><td><code>{{ rate.code }}</code></td>
                </tr>
              } @empty { <tr><td colspan="6">No rate: no tax is charged.</td></tr> }
            </tbody>
          </table>
        }
      }
    }
  `,
})
export class TaxPage {
  protected readonly store = inject(SiteSettingsStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;

  constructor() {
    void this.store.loadTax();
  }
}
