import { Pipe, PipeTransform } from '@angular/core';

const formats = new Map<string, Intl.NumberFormat>();

/** A decimal string from the API (``"599.99"``) in the site's currency, for the shopper's locale. */
export function formatPrice(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || !currency) return '';
  const locale = typeof navigator === 'undefined' ? 'en-US' : navigator.language;
  const key = `${locale}|${currency}`;
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat(locale, { style: 'currency', currency }));
  return formats.get(key)!.format(Number(amount));
}

@Pipe({ name: 'price' })
export class PricePipe implements PipeTransform {
  transform(amount: string | null | undefined, currency: string | null | undefined): string {
    return formatPrice(amount, currency);
  }
}
