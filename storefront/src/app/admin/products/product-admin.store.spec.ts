import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { ProductAdminStore } from './product-admin.store';

describe('ProductAdminStore', () => {
  let refusal: unknown = null;
  const calls: unknown[] = [];
  let stock = 3;
  const api = {
    product: (ref: string) => Promise.resolve({ id: ref, name: 'Tee', variants: [{ id: 'v1', sku: 'TEE-S', stockQuantity: stock }] }),
    stockMovements: () => Promise.resolve([{ delta: stock, stockAfter: stock, reason: 'counted', createdAt: 'now' }]),
    setVariants: (ref: string, body: unknown) => {
      calls.push(['variants', ref, body]);
      return refusal ? Promise.reject(refusal) : Promise.resolve({});
    },
    adjustStock: (ref: string, body: { delta: number }) => {
      calls.push(['stock', ref, body]);
      stock += body.delta;
      return Promise.resolve({});
    },
  };

  beforeEach(() => {
    refusal = null;
    calls.length = 0;
    stock = 3;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('reads the product and its movements again after a stock change', async () => {
    const store = TestBed.inject(ProductAdminStore);
    await store.load('p1');
    expect((await store.adjustStock({ delta: 2, reason: 'delivery', variantId: 'v1' })).ok).toBeTrue();
    expect(calls).toEqual([['stock', 'p1', { delta: 2, reason: 'delivery', variantId: 'v1' }]]);
    expect(store.product()).toEqual({ status: 'ready', value: jasmine.objectContaining({ variants: [{ id: 'v1', sku: 'TEE-S', stockQuantity: 5 }] }) });
    expect(store.movements()).toEqual({ status: 'ready', value: [{ delta: 5, stockAfter: 5, reason: 'counted', createdAt: 'now' }] });
  });

  it('names a refused variant field the same way whether the schema or a rule refused it', async () => {
    const store = TestBed.inject(ProductAdminStore);
    await store.load('p1');
    refusal = new HttpErrorResponse({ status: 422, error: { detail: 'Bad.', errors: { variants: { 1: { stockQuantity: ['Not a valid integer.'] } } } } });
    expect((await store.saveVariants({ options: [], variants: [] })).fields).toEqual({ 'variants[1].stockQuantity': 'Not a valid integer.' });
    refusal = new HttpErrorResponse({ status: 422, error: { detail: 'Bad.', errors: { 'variants[1].sku': ['Another variant has this SKU.'] } } });
    expect((await store.saveVariants({ options: [], variants: [] })).fields).toEqual({ 'variants[1].sku': 'Another variant has this SKU.' });
  });
});
