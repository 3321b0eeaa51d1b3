import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { ShippingConfiguration, TaxConfiguration } from '../../core/api/admin-api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';

/** The shipping and tax settings as the site runs them: read only, they are set in the site file (decision 0029). */
@Injectable({ providedIn: 'root' })
export class SiteSettingsStore {
  private readonly api = inject(AdminApiClient);
  readonly shipping = signal<LoadState<ShippingConfiguration>>(LOADING);
  readonly tax = signal<LoadState<TaxConfiguration>>(LOADING);

  async loadShipping(): Promise<void> {
    this.shipping.set(LOADING);
    this.shipping.set(await settle(this.api.shippingMethods()));
  }

  async loadTax(): Promise<void> {
    this.tax.set(LOADING);
    this.tax.set(await settle(this.api.taxRates()));
  }
}
