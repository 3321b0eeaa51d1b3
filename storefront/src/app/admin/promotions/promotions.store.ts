import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { Coupon, CouponChange, CouponIn } from '../../core/api/admin-api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { FormOutcome, sent } from '../form-outcome';
import { ProductChoice, productChoice } from './promotion-targets';

/** How many products a search offers to choose from. */
const MATCHES = 10;

/** Coupons and automatic promotions for staff: list, create, change (withdraw with ``isActive``), delete; and the
 *  products a promotion may be limited to, found by name or SKU. */
@Injectable({ providedIn: 'root' })
export class PromotionsStore {
  private readonly api = inject(AdminApiClient);
  readonly coupons = signal<LoadState<Coupon[]>>(LOADING);
  /** The last product search's matches (null: none asked yet). */
  readonly productMatches = signal<LoadState<ProductChoice[]> | null>(null);
  /** Every product a search found or a lookup read, by id: how the form names the chosen ones. */
  readonly knownProducts = signal<Readonly<Record<string, ProductChoice>>>({});

  async load(): Promise<void> {
    this.coupons.set(await settle(this.api.coupons()));
  }

  create(coupon: CouponIn): Promise<FormOutcome> {
    return sent(() => this.api.createCoupon(coupon), () => this.load());
  }

  change(couponId: string, change: CouponChange): Promise<FormOutcome> {
    return sent(() => this.api.changeCoupon(couponId, change), () => this.load());
  }

  remove(couponId: string): Promise<FormOutcome> {
    return sent(() => this.api.deleteCoupon(couponId), () => this.load());
  }

  /** Products by name or SKU, inactive ones too (a promotion may wait for them). */
  async findProducts(q: string): Promise<void> {
    this.productMatches.set(LOADING);
    const found = await settle(this.api.products({ q: q || undefined, status: 'all', pageSize: MATCHES })
      .then((page) => page.items.map(productChoice)));
    if (found.status === 'ready') this.remember(found.value);
    this.productMatches.set(found);
  }

  /** The form changed hands (another promotion, or a new one): no search results from before. */
  forgetProductMatches(): void {
    this.productMatches.set(null);
  }

  /** Read the products not known yet (those an edited promotion is limited to); one that cannot be read stays
   *  unnamed, known by its id only. */
  async lookUpProducts(ids: readonly string[]): Promise<void> {
    const unknown = ids.filter((id) => !(id in this.knownProducts()));
    const found = await Promise.all(unknown.map((id) => this.api.product(id).then(productChoice, () => null)));
    this.remember(found.filter((product) => product !== null));
  }

  private remember(products: readonly ProductChoice[]): void {
    this.knownProducts.update((known) => ({ ...known, ...Object.fromEntries(products.map((product) => [product.id, product])) }));
  }
}
