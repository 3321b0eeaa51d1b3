import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { ProductVariants, StockAdjustment, StockMovement } from '../../core/api/admin-api.types';
import type { ProductDetail } from '../../core/api/api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { FormOutcome, NO_PROBLEM, refusal } from '../form-outcome';

/** One product as staff edit it: its variants, images, state and stock with its movements. */
@Injectable({ providedIn: 'root' })
export class ProductAdminStore {
  private readonly api = inject(AdminApiClient);
  readonly product = signal<LoadState<ProductDetail>>(LOADING);
  readonly movements = signal<LoadState<StockMovement[]>>(LOADING);
  private ref = '';

  async load(ref: string): Promise<void> {
    this.ref = ref;
    this.product.set(LOADING);
    this.movements.set(LOADING);
    await this.reload();
  }

  saveVariants(variants: ProductVariants): Promise<FormOutcome> {
    return this.send(() => this.api.setVariants(this.ref, variants));
  }

  adjustStock(adjustment: StockAdjustment): Promise<FormOutcome> {
    return this.send(() => this.api.adjustStock(this.ref, adjustment));
  }

  setActive(isActive: boolean): Promise<FormOutcome> {
    return this.send(() => this.api.updateProduct(this.ref, { isActive }));
  }

  uploadImage(file: File | null, alt: string, position: number): Promise<FormOutcome> {
    return this.send(() => this.api.uploadImage(this.ref, file, alt, position));
  }

  deleteImage(imageId: string): Promise<FormOutcome> {
    return this.send(() => this.api.deleteImage(this.ref, imageId));
  }

  /** The product and its movements as they now stand (a change to stock adds a movement). */
  private async reload(): Promise<void> {
    const [product, movements] = await Promise.all([settle(this.api.product(this.ref)),
                                                    settle(this.api.stockMovements(this.ref))]);
    this.product.set(product);
    this.movements.set(movements);
  }

  private async send(call: () => Promise<unknown>): Promise<FormOutcome> {
    try {
      await call();
    } catch (error) {
      return refusal(error);
    }
    await this.reload();
    return NO_PROBLEM;
  }
}
