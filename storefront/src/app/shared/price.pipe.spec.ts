import { formatPrice } from './price.pipe';

describe('formatPrice', () => {
  it('formats the API decimal string in the currency, with Intl', () => {
    const expected = new Intl.NumberFormat(navigator.language, { style: 'currency', currency: 'USD' }).format(1234.5);
    expect(formatPrice('1234.50', 'USD')).toBe(expected);
    expect(formatPrice(null, 'USD')).toBe('');
  });
});
