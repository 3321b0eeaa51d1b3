import { cents } from './dashboard.store';

describe('cents', () => {
  it('reads the API decimal strings exactly', () => {
    expect(cents('49.50')).toBe(4950);
    expect(cents('0.1')).toBe(10);
    expect(cents('12')).toBe(1200);
    expect(cents('0.07') + cents('0.01')).toBe(8);
  });
});
