import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { Coupon, CouponIn } from '../../core/api/admin-api.types';
import { PromotionsStore } from './promotions.store';

const WINTER: Coupon = {
  id: 'c1', code: 'WINTER10', automatic: false, description: '', discountType: 'percentage', value: '10.00',
  productIds: [], categoryIds: [], minSubtotal: null, startsAt: null, endsAt: null, usageLimit: null,
  perCustomerLimit: null, isActive: true, timesUsed: 0,
};

describe('PromotionsStore', () => {
  let stored: Coupon[];
  const api = {
    coupons: () => Promise.resolve(stored),
    createCoupon: (coupon: CouponIn) => {
      if (coupon.value === 'ten') {
        return Promise.reject(new HttpErrorResponse({ status: 422, error: {
          detail: 'The request body is not valid.', errors: { value: ['Not an amount: at most 10 digits, a point and 2 decimals, e.g. 599.99.'] } } }));
      }
      stored = [...stored, { ...WINTER, id: 'c2', code: coupon.code ?? null, automatic: !coupon.code }];
      return Promise.resolve(stored[stored.length - 1]);
    },
    changeCoupon: (id: string, change: Partial<Coupon>) => {
      stored = stored.map((coupon) => (coupon.id === id ? { ...coupon, ...change } : coupon));
      return Promise.resolve(stored.find((coupon) => coupon.id === id));
    },
    deleteCoupon: (id: string) => {
      if (id === 'gone') return Promise.reject(new HttpErrorResponse({ status: 404, error: { detail: 'No coupon gone.' } }));
      stored = stored.filter((coupon) => coupon.id !== id);
      return Promise.resolve(null);
    },
  };

  beforeEach(() => {
    stored = [WINTER];
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('creates a coupon and lists it', async () => {
    const store = TestBed.inject(PromotionsStore);
    await store.load();
    expect(await store.create({ code: 'SPRING5', discountType: 'fixed', value: '5' })).toEqual(jasmine.objectContaining({ ok: true }));
    expect((store.coupons() as { value: Coupon[] }).value.map((coupon) => coupon.code)).toEqual(['WINTER10', 'SPRING5']);
  });

  it("keeps the API's refusal by the field it names and leaves the list alone", async () => {
    const store = TestBed.inject(PromotionsStore);
    await store.load();
    const outcome = await store.create({ code: 'BAD', discountType: 'fixed', value: 'ten' });
    expect(outcome.ok).toBeFalse();
    expect(outcome.fields['value']).toContain('Not an amount');
    expect(outcome.message).toBeNull();
    expect((store.coupons() as { value: Coupon[] }).value.length).toBe(1);
  });

  it('withdraws a coupon, deletes it, and says why a delete was refused', async () => {
    const store = TestBed.inject(PromotionsStore);
    await store.change('c1', { isActive: false });
    expect(store.coupons()).toEqual({ status: 'ready', value: [jasmine.objectContaining({ isActive: false })] });
    await store.remove('c1');
    expect(store.coupons()).toEqual({ status: 'ready', value: [] });
    expect(await store.remove('gone')).toEqual({ ok: false, message: 'No coupon gone.', fields: {} });
  });
});
