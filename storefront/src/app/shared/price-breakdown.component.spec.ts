import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { PriceAdjustment } from '../core/api/api.types';
import { PriceBreakdownComponent, breakdownRows } from './price-breakdown.component';

const ADJUSTMENTS = [
  { kind: 'discount', label: 'Coupon SPRING10', amount: '4.00' },
  { kind: 'discount', label: 'Coupon SPRING10', amount: '0.50' },
  { kind: 'shipping', label: 'Express', amount: '12.00' },
  { kind: 'tax', label: 'VAT 19 %', amount: '8.62' },
  { kind: 'tax', label: 'VAT 7 %', amount: '0.70', included: true },
] as PriceAdjustment[];

describe('PriceBreakdownComponent', () => {
  it('sums a discount given per line into one row and keeps one row per tax rate', () => {
    expect(breakdownRows(ADJUSTMENTS).map((row) => [row.kind, row.label, row.amount, row.included])).toEqual([
      ['discount', 'Coupon SPRING10', '4.50', false], ['shipping', 'Express', '12.00', false],
      ['tax', 'VAT 19 %', '8.62', false], ['tax', 'VAT 7 %', '0.70', true],
    ]);
  });

  it('shows subtotal, each row and the total, a contained tax marked as included', () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(PriceBreakdownComponent);
    fixture.componentRef.setInput('prices', { subtotal: '44.98', total: '61.10', currency: 'EUR', adjustments: ADJUSTMENTS });
    fixture.detectChanges();
    const terms = [...fixture.nativeElement.querySelectorAll('dt')].map((dt: Element) => dt.textContent?.trim());
    expect(terms).toEqual(['Subtotal', 'Coupon SPRING10', 'Express', 'VAT 19 %', 'incl. VAT 7 %', 'Total']);
    expect(fixture.nativeElement.querySelector('.total dd').textContent).toContain('61.10');
  });
});
