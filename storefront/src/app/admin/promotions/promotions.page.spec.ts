import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { Coupon, CouponChange } from '../../core/api/admin-api.types';
import { PromotionsPage } from './promotions.page';

const WINTER: Coupon = {
  id: 'c1', code: 'WINTER10', automatic: false, description: 'Winter', discountType: 'fixed', value: '10.00',
  productIds: [], categoryIds: [], minSubtotal: '50.00', startsAt: null, endsAt: null, usageLimit: 5,
  perCustomerLimit: null, isActive: true, timesUsed: 2,
};

describe('PromotionsPage', () => {
  let changes: CouponChange[];
  const api = {
    site: () => Promise.resolve({ name: 'shop', currency: 'USD', plugins: [], permissions: [] }),
    coupons: () => Promise.resolve([WINTER]),
    changeCoupon: (_id: string, change: CouponChange) => {
      changes.push(change);
      return change.value === 'ten'
        ? Promise.reject(new HttpErrorResponse({ status: 422, error: { errors: { value: ['Not an amount.'] } } }))
        : Promise.resolve({ ...WINTER, ...change });
    },
  };

  beforeEach(() => {
    changes = [];
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  async function edited(value: string): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(PromotionsPage);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    page.querySelector<HTMLButtonElement>('tr[data-code="WINTER10"] button.link')!.click();
    await fixture.whenStable();
    page.querySelector<HTMLInputElement>('#coupon-value')!.value = value;
    page.querySelector<HTMLFormElement>('form.coupon-form')!.requestSubmit();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    return page;
  }

  it("fills the form with the promotion's values and sends them as changed", async () => {
    const page = await edited('12.50');
    expect(changes).toEqual([jasmine.objectContaining({ code: 'WINTER10', description: 'Winter', discountType: 'fixed',
      value: '12.50', minSubtotal: '50.00', usageLimit: 5, perCustomerLimit: null, isActive: true })]);
    expect(page.querySelector('#coupon-form-heading')!.textContent).toBe('New promotion');
  });

  it("shows the API's refusal beside the field it names", async () => {
    const page = await edited('ten');
    expect(page.querySelector('#coupon-value-error')!.textContent).toBe('Not an amount.');
    expect(page.querySelector('#coupon-value')!.getAttribute('aria-invalid')).toBe('true');
    expect(page.querySelector('#coupon-form-heading')!.textContent).toBe('Change WINTER10');
  });
});
