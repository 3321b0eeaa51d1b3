import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { Cart } from '../core/api/api.types';
import { CartStore } from './cart.store';

const CART = {
  lines: [], itemCount: 3, subtotal: '44.98', discountTotal: '4.50', shippingTotal: '12.00', taxTotal: '9.97',
  total: '62.45', currency: 'EUR', notices: {}, pricingInputs: { coupon: 'SPRING10', country: 'DE', shippingMethod: 'express' },
  adjustments: [
    { plugin: 'promotions', kind: 'discount', label: 'Coupon SPRING10', amount: '4.00', code: 'SPRING10' },
    { plugin: 'shipping', kind: 'shipping', label: 'Express', amount: '12.00', code: 'express' },
  ],
  choices: [
    { input: 'shippingMethod', code: 'standard', label: 'Standard', amount: '4.90' },
    { input: 'shippingMethod', code: 'express', label: 'Express', amount: '12.00' },
  ],
} as unknown as Cart;

describe('CartStore pricing choices', () => {
  let store: CartStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(CartStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('applies a coupon and exposes the shipping methods and the chosen one from the answer', async () => {
    const applied = store.applyCoupon('spring10');
    const request = backend.expectOne('/api/cart/coupon');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ code: 'spring10' });
    request.flush(CART);
    expect(await applied).toBeTrue();
    expect(store.shippingMethods().map((method) => method.code)).toEqual(['standard', 'express']);
    expect(store.shippingMethod()).toBe('express');
    expect(store.pricesByDestination()).toBeTrue();
  });

  it('keeps the cart as it was and names the field when a choice is refused', async () => {
    const applied = store.applyCoupon('spring10');
    backend.expectOne('/api/cart/coupon').flush(CART);
    await applied;
    const refused = store.applyCoupon('OLD');
    backend.expectOne('/api/cart/coupon').flush(
      { title: 'Unprocessable Entity', status: 422, detail: 'This coupon has expired.',
        errors: { code: ['This coupon has expired.'] } },
      { status: 422, statusText: 'Unprocessable Entity' });
    expect(await refused).toBeFalse();
    expect(store.fieldErrors()).toEqual({ code: 'This coupon has expired.' });
    expect(store.cart()?.pricingInputs?.['coupon']).toBe('SPRING10');

    const moved = store.setDestination({ country: 'XX' });
    const put = backend.expectOne('/api/cart/destination');
    expect(put.request.method).toBe('PUT');
    put.flush({ status: 422, errors: { country: ['We do not ship to XX.'] } },
              { status: 422, statusText: 'Unprocessable Entity' });
    await moved;
    expect(store.fieldErrors()).toEqual({ country: 'We do not ship to XX.' });
  });

  it('a shop that prices no destination asks for none', async () => {
    const loaded = store.load();
    backend.expectOne('/api/cart').flush({ ...CART, notices: {}, pricingInputs: {}, choices: [], adjustments: [] });
    await loaded;
    expect(store.pricesByDestination()).toBeFalse();
    expect(store.shippingMethod()).toBeNull();
  });
});
