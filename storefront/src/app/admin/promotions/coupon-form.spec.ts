import { couponFromForm, localTime } from './coupon-form';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe('couponFromForm', () => {
  it('sends blank optional fields as null and an unchecked box as inactive', () => {
    expect(couponFromForm(form({ code: '  ', description: ' Winter sale ', discountType: 'percentage', value: '10',
                                 minSubtotal: '', startsAt: '', endsAt: '', usageLimit: '', perCustomerLimit: '' })))
      .toEqual({ code: null, description: 'Winter sale', discountType: 'percentage', value: '10', minSubtotal: null,
                 startsAt: null, endsAt: null, usageLimit: null, perCustomerLimit: null, isActive: false,
                 productIds: [], categoryIds: [] });
  });

  it('sends every chosen product and category', () => {
    const data = form({ discountType: 'percentage', value: '10' });
    for (const [name, id] of [['categoryIds', 'c1'], ['productIds', 'p1'], ['categoryIds', 'c2']]) data.append(name, id);
    const body = couponFromForm(data);
    expect([body.categoryIds, body.productIds]).toEqual([['c1', 'c2'], ['p1']]);
  });

  it('keeps what it cannot read as typed, so the API names the field', () => {
    const body = couponFromForm(form({ code: 'SAVE 5!', discountType: 'fixed', value: 'ten', usageLimit: '2.5', isActive: 'on' }));
    expect([body.code, body.value, body.usageLimit, body.isActive]).toEqual(['SAVE 5!', 'ten', 2.5, true]);
  });

  it('turns local times into instants and back', () => {
    const body = couponFromForm(form({ discountType: 'fixed', value: '5', startsAt: '2026-12-24T08:30' }));
    expect(body.startsAt).toBe(new Date('2026-12-24T08:30').toISOString());
    expect(localTime(body.startsAt ?? null)).toBe('2026-12-24T08:30');
    expect(localTime(null)).toBe('');
  });
});
