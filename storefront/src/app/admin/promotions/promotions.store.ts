import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { Coupon, CouponChange, CouponIn } from '../../core/api/admin-api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { FormOutcome, sent } from '../form-outcome';

/** Coupons and automatic promotions for staff: list, create, change (withdraw with ``isActive``), delete. */
@Injectable({ providedIn: 'root' })
export class PromotionsStore {
  private readonly api = inject(AdminApiClient);
  readonly coupons = signal<LoadState<Coupon[]>>(LOADING);

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
}
