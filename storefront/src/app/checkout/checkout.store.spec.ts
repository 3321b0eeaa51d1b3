import { DOCUMENT } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { PlaceOrder } from '../core/api/api.types';
import { CheckoutStore } from './checkout.store';

const ORDER: PlaceOrder = { fromCart: true, paymentMethod: 'testpay',
                            shippingAddress: { street: '1 Main St', city: 'Boston', zipCode: '02108' } as PlaceOrder['shippingAddress'] };

describe('CheckoutStore', () => {
  let store: CheckoutStore;
  let backend: HttpTestingController;
  const assigned: string[] = [];

  beforeEach(() => {
    assigned.length = 0;
    const fakeDocument = { location: { origin: 'http://shop.test', assign: (url: string) => assigned.push(url) } };
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(),
                  { provide: DOCUMENT, useValue: fakeDocument }],
    });
    store = TestBed.inject(CheckoutStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('a second click while placing joins the first: one order, one Idempotency-Key, then the provider page', async () => {
    const first = store.place(ORDER);
    const second = store.place(ORDER);
    const placement = backend.expectOne('/api/orders');
    expect(placement.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    placement.flush({ orderId: 'o-1', status: 'Pending' });
    await new Promise((resolve) => setTimeout(resolve));
    const payment = backend.expectOne('/api/orders/o-1/payments');
    expect(payment.request.body.returnUrl).toBe('http://shop.test/checkout/return/o-1');
    payment.flush({ approvalUrl: '/api/payments/testpay/checkout/tp_1' });
    await Promise.all([first, second]);
    expect(assigned).toEqual(['/api/payments/testpay/checkout/tp_1']);
  });

  it('maps a 422 problem to the address fields it names and lets the shopper try again', async () => {
    const attempt = store.place(ORDER);
    backend.expectOne('/api/orders').flush(
      { title: 'Unprocessable Entity', status: 422, detail: 'Invalid input: shippingAddress',
        errors: { shippingAddress: { zipCode: ['Length must be between 1 and 20.'] } } },
      { status: 422, statusText: 'Unprocessable Entity' });
    await attempt;
    expect(store.fieldErrors()).toEqual({ 'shippingAddress.zipCode': 'Length must be between 1 and 20.' });
    expect(store.placing()).toBeFalse();
    const retry = store.place(ORDER);
    const again = backend.expectOne('/api/orders');
    again.flush({}, { status: 409, statusText: 'Conflict' });
    await retry;
    expect(assigned).toEqual([]);
  });
});
