import type { PaymentMethod } from '../core/api/api.types';

/** Every payment method the site's API accepts (the compiler fails when the document adds one). */
export const PAYMENT_METHODS: Record<PaymentMethod, string> = {
  testpay: 'Test payment (no real money)',
  credit_card: 'Credit card',
  paypal: 'PayPal',
  bank_transfer: 'Bank transfer',
};
