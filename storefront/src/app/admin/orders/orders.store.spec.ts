import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { OrdersStore } from './orders.store';

describe('OrdersStore', () => {
  let refunded = '0.00';
  const refunds: unknown[] = [];
  const api = {
    order: (orderId: string) => Promise.resolve({ orderId, status: 'Paid', refundedAmount: refunded }),
    payments: () => Promise.resolve([{ paymentId: 'pay1', status: 'succeeded', amount: '20.00', refundedAmount: refunded, events: [] }]),
    refund: (orderId: string, body: unknown, key: string) => {
      refunds.push([orderId, body, typeof key]);
      refunded = '20.00';
      return Promise.resolve({ orderId, status: 'Paid', paymentStatus: 'Refunded', refundedAmount: refunded });
    },
  };

  beforeEach(() => {
    refunded = '0.00';
    refunds.length = 0;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('loads an order with its payment records', async () => {
    const store = TestBed.inject(OrdersStore);
    await store.loadOrder('o1');
    expect(store.payments()).toEqual({ status: 'ready', value: [jasmine.objectContaining({ paymentId: 'pay1', refundedAmount: '0.00' })] });
  });

  it('refunds in full without an amount and reads the payment records again', async () => {
    const store = TestBed.inject(OrdersStore);
    await store.loadOrder('o1');
    expect(await store.refund('o1', '', 'Returned')).toBeTrue();
    expect(refunds).toEqual([['o1', { reason: 'Returned' }, 'string']]);
    expect(store.payments()).toEqual({ status: 'ready', value: [jasmine.objectContaining({ refundedAmount: '20.00' })] });
  });
});
