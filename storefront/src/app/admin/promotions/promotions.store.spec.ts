import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { Coupon, CouponIn, StaffProductQuery } from '../../core/api/admin-api.types';
import { PromotionsStore } from './promotions.store';

const WINTER: Coupon = {
  id: 'c1', code: 'WINTER10', automatic: false, description: '', discountType: 'percentage', value: '10.00',
  productIds: [], categoryIds: [], minSubtotal: null, startsAt: null, endsAt: null, usageLimit: null,
  perCustomerLimit: null, isActive: true, timesUsed: 0,
};

const LAMP = { id: 'p1', name: 'Brass lamp', sku: 'LAMP-1', price: '40.00', isActive: false };
const TEE = { id: 'p2', name: 'Desk tee', sku: 'TEE-1', price: '15.00' };

describe('PromotionsStore', () => {
  let stored: Coupon[];
  let queries: StaffProductQuery[];
  let read: string[];
  const api = {
    products: (query: StaffProductQuery) => {
      queries.push(query);
      return query.q === 'down' ? Promise.reject(new HttpErrorResponse({ status: 503, error: { detail: 'Try again later.' } }))
        : Promise.resolve({ items: [LAMP], page: 1, pageSize: 10, totalCount: 1 });
    },
    product: (ref: string) => {
      read.push(ref);
      return ref === TEE.id ? Promise.resolve(TEE) : Promise.reject(new HttpErrorResponse({ status: 404, error: { detail: 'No product.' } }));
    },
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
    queries = [];
    read = [];
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

  it('finds products by name or SKU, inactive ones too, and remembers their names', async () => {
    const store = TestBed.inject(PromotionsStore);
    await store.findProducts('lamp');
    expect(queries).toEqual([{ q: 'lamp', status: 'all', pageSize: 10 }]);
    expect(store.productMatches()).toEqual({ status: 'ready', value: [{ id: 'p1', name: 'Brass lamp', sku: 'LAMP-1' }] });
    expect(store.knownProducts()['p1']).toEqual({ id: 'p1', name: 'Brass lamp', sku: 'LAMP-1' });
    await store.findProducts('down');
    expect(store.productMatches()).toEqual({ status: 'error', message: 'Try again later.' });
    expect(Object.keys(store.knownProducts())).toEqual(['p1']);
  });

  it("reads only the products it does not know yet; one that cannot be read stays unnamed", async () => {
    const store = TestBed.inject(PromotionsStore);
    await store.findProducts('lamp');
    await store.lookUpProducts(['p1', 'p2', 'gone']);
    expect(read).toEqual(['p2', 'gone']);
    expect(Object.keys(store.knownProducts()).sort()).toEqual(['p1', 'p2']);
    expect(store.knownProducts()['p2']).toEqual({ id: 'p2', name: 'Desk tee', sku: 'TEE-1' });
  });
});
