import type { StaffOrderQuery } from '../../core/api/admin-api.types';

export type OrderStatus = NonNullable<StaffOrderQuery['status']>;

/** Every status, for the filter (the compiler fails here when the API gains one). */
export const ORDER_STATUSES: Record<OrderStatus, true> = {
  Pending: true, Paid: true, Processing: true, Shipped: true, Completed: true, Cancelled: true, Refunded: true,
};

/** The next steps offered from each status: a hint for the buttons (docs/orders.md; the API decides). */
export const NEXT_STEPS: Record<string, readonly string[]> = {
  Pending: ['mark-paid', 'cancel'],
  Paid: ['process', 'cancel', 'refund'],
  Processing: ['ship', 'cancel', 'refund'],
  Shipped: ['complete', 'refund'],
  Completed: ['refund'],
};
