import type { ShippingConfiguredMethod } from '../../core/api/admin-api.types';
import { destinations, rateInWords } from './shipping-rate';

const method = (changes: Partial<ShippingConfiguredMethod>): ShippingConfiguredMethod => ({
  code: 'standard', label: 'Standard', countries: ['AT', 'DE'], zones: [], rate: 'flat',
  bands: [{ below: null, amount: '4.90' }], freeAbove: null, ...changes,
});

describe('shipping rates in words', () => {
  it('says a flat rate, bands by the goods and bands by weight', () => {
    expect(rateInWords(method({}), 'USD')).toBe('flat, $4.90');
    expect(rateInWords(method({ rate: 'bands', bands: [{ below: '50', amount: '12.00' }, { below: null, amount: '8.00' }] }), 'USD'))
      .toBe('by the goods, under $50.00: $12.00; $50.00 and more: $8.00');
    expect(rateInWords(method({ rate: 'weight', bands: [{ below: '2.5', amount: '6.00' }, { below: null, amount: '11.50' }] }), 'USD'))
      .toBe('by weight, under 2.5 kg: $6.00; 2.5 kg and more: $11.50');
  });

  it('names the zones beside the countries, and everywhere', () => {
    expect(destinations(method({ zones: ['dach'] }))).toBe('AT, DE (zones: dach)');
    expect(destinations(method({ countries: ['*'] }))).toBe('everywhere');
  });
});
