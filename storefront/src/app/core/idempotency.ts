/** A fresh key for one intended action (an order placement, a cancellation). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
