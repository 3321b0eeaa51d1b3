import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { SiteSettingsStore } from './site-settings.store';

const SHIPPING = { zones: { domestic: ['US'] }, methods: [] };

describe('SiteSettingsStore', () => {
  let refuse = false;
  const api = {
    shippingMethods: () => Promise.resolve(SHIPPING),
    taxRates: () => refuse
      ? Promise.reject(new HttpErrorResponse({ status: 403, error: { detail: "This needs the permission 'tax:read'." } }))
      : Promise.resolve({ rates: [], pricesIncludeTax: true, shippingTaxable: false }),
  };

  beforeEach(() => {
    refuse = false;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('reads the shipping methods and the tax rates', async () => {
    const store = TestBed.inject(SiteSettingsStore);
    await Promise.all([store.loadShipping(), store.loadTax()]);
    expect(store.shipping()).toEqual({ status: 'ready', value: SHIPPING });
    expect(store.tax()).toEqual({ status: 'ready', value: jasmine.objectContaining({ pricesIncludeTax: true }) });
  });

  it("shows the API's refusal", async () => {
    refuse = true;
    const store = TestBed.inject(SiteSettingsStore);
    await store.loadTax();
    expect(store.tax()).toEqual({ status: 'error', message: "This needs the permission 'tax:read'." });
  });
});
