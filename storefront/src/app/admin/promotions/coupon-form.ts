import type { CouponIn } from '../../core/api/admin-api.types';

/** Blank is "not set" (null); anything else goes as typed, so the API judges it and names the field. */
function optional(form: FormData, name: string): string | null {
  const text = String(form.get(name) ?? '').trim();
  return text === '' ? null : text;
}

function count(form: FormData, name: string): number | null {
  const text = optional(form, name);
  return text === null ? null : Number(text);
}

/** A ``datetime-local`` value (the browser's local time) as the instant the API stores. */
function instant(form: FormData, name: string): string | null {
  const text = optional(form, name);
  return text === null ? null : new Date(text).toISOString();
}

/** The coupon form as the API's body, for a new promotion and for a change alike (a change sends every
 *  field, the chosen products and categories too: one ``productIds``/``categoryIds`` input each). */
export function couponFromForm(form: FormData): CouponIn {
  return {
    code: optional(form, 'code'),
    description: String(form.get('description') ?? '').trim(),
    discountType: String(form.get('discountType')) as CouponIn['discountType'],
    value: String(form.get('value') ?? '').trim(),
    minSubtotal: optional(form, 'minSubtotal'),
    startsAt: instant(form, 'startsAt'),
    endsAt: instant(form, 'endsAt'),
    usageLimit: count(form, 'usageLimit'),
    perCustomerLimit: count(form, 'perCustomerLimit'),
    isActive: form.get('isActive') === 'on',
    productIds: form.getAll('productIds').map(String),
    categoryIds: form.getAll('categoryIds').map(String),
  };
}

/** An instant from the API as a ``datetime-local`` input shows it (the browser's local time, to the minute). */
export function localTime(iso: string | null): string {
  if (!iso) return '';
  const moment = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}
