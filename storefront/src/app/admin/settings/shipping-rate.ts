import type { ShippingConfiguredMethod } from '../../core/api/admin-api.types';
import { formatPrice } from '../../shared/price.pipe';

/** A method's rate in words: one amount for a flat rate, else each band with its limit (by the
 *  goods' amount, or by the parcel's kg for a weight rate). */
export function rateInWords(method: ShippingConfiguredMethod, currency: string | undefined): string {
  const limit = (below: string) => (method.rate === 'weight' ? `${below} kg` : formatPrice(below, currency));
  const bands = method.bands.map((band, index) => {
    const charge = formatPrice(band.amount, currency);
    if (band.below !== null) return `under ${limit(band.below)}: ${charge}`;
    return method.bands.length === 1 ? charge : `${limit(method.bands[index - 1].below!)} and more: ${charge}`;
  });
  const basis = method.rate === 'weight' ? 'by weight' : method.rate === 'bands' ? 'by the goods' : 'flat';
  return `${basis}, ${bands.join('; ')}`;
}

/** Where a method ships: its zones by name and its countries ("*": everywhere). */
export function destinations(method: ShippingConfiguredMethod): string {
  const countries = method.countries.includes('*') ? 'everywhere' : method.countries.join(', ');
  return method.zones.length ? `${countries} (zones: ${method.zones.join(', ')})` : countries;
}
