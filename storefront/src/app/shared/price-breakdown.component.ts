import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { PriceAdjustment } from '../core/api/api.types';
import { PricePipe } from './price.pipe';

/** What a breakdown shows: the cart's or an order's totals and adjustments. */
export interface Prices {
  readonly subtotal?: string | null;
  readonly total?: string | null;
  readonly totalAmount?: string | null;
  readonly currency?: string | null;
  readonly adjustments?: readonly PriceAdjustment[];
}

export interface BreakdownRow {
  kind: PriceAdjustment['kind'];
  label: string;
  amount: string;
  included: boolean;
}

/** One row per discount label, shipping charge and tax rate: a discount given per line is one row
 *  (amounts summed in cents, as the API rounded them). */
export function breakdownRows(adjustments: readonly PriceAdjustment[]): BreakdownRow[] {
  const rows = new Map<string, { row: BreakdownRow; cents: number }>();
  for (const adjustment of adjustments) {
    const key = `${adjustment.kind}|${adjustment.label}|${!!adjustment.included}`;
    const cents = Math.round(Number(adjustment.amount) * 100);
    const known = rows.get(key);
    if (known) known.cents += cents;
    else rows.set(key, { row: { kind: adjustment.kind, label: adjustment.label ?? '', amount: '',
                                included: !!adjustment.included }, cents });
  }
  return [...rows.values()].map(({ row, cents }) => ({ ...row, amount: (cents / 100).toFixed(2) }));
}

@Component({
  selector: 'app-price-breakdown',
  imports: [PricePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let p = prices();
    <dl class="breakdown" aria-label="Price breakdown">
      <div><dt>Subtotal</dt><dd>{{ p.subtotal | price: p.currency }}</dd></div>
      @for (row of rows(); track $index) {
        <div [class]="row.kind">
          <dt>{{ row.included ? 'incl. ' : '' }}{{ row.label }}</dt>
          <dd>{{ row.kind === 'discount' ? '−' : '' }}{{ row.amount | price: p.currency }}</dd>
        </div>
      }
      <div class="total"><dt>Total</dt><dd><strong>{{ (p.total ?? p.totalAmount) | price: p.currency }}</strong></dd></div>
    </dl>
  `,
})
export class PriceBreakdownComponent {
  readonly prices = input.required<Prices>();
  protected readonly rows = computed(() => breakdownRows(this.prices().adjustments ?? []));
}
