import { Injectable, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { CategoryNode, ProductDetail, ProductPage, ProductQuery, ReviewPage } from '../core/api/api.types';
import { LOADING, LoadState, settle } from '../core/load-state';
import { describeProblem } from '../core/problem';
import { preparePriceFormat } from '../shared/price.pipe';

/** The catalog pages' state: the category tree, the listing of the current URL, one product. */
@Injectable({ providedIn: 'root' })
export class CatalogStore {
  private readonly api = inject(ApiClient);
  readonly categories = signal<LoadState<CategoryNode[]>>(LOADING);
  readonly listing = signal<LoadState<ProductPage>>(LOADING);
  readonly product = signal<LoadState<ProductDetail>>(LOADING);
  readonly reviews = signal<LoadState<ReviewPage>>(LOADING);
  readonly reviewError = signal<string | null>(null);
  private listingRequest = 0;

  async loadCategories(): Promise<void> {
    if (this.categories().status === 'ready') return;
    this.categories.set(await settle(this.api.categories()));
  }

  /** The latest query wins: an earlier, slower answer never overwrites a newer one. */
  async loadListing(query: ProductQuery): Promise<void> {
    const request = ++this.listingRequest;
    this.listing.set(LOADING);
    preparePriceFormat();
    const state = await settle(this.api.products(query));
    if (request === this.listingRequest) this.listing.set(state);
  }

  async loadProduct(ref: string): Promise<void> {
    this.product.set(LOADING);
    this.reviews.set(LOADING);
    preparePriceFormat();
    this.product.set(await settle(this.api.product(ref)));
    this.reviews.set(await settle(this.api.reviews(ref)));
  }

  async writeReview(ref: string, rating: number, text: string): Promise<boolean> {
    this.reviewError.set(null);
    try {
      await this.api.writeReview(ref, { rating, text });
      this.reviews.set(await settle(this.api.reviews(ref)));
      return true;
    } catch (error) {
      const problem = describeProblem(error);
      this.reviewError.set(Object.values(problem.fields)[0] ?? problem.message);
      return false;
    }
  }
}
