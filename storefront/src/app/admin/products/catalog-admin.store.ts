import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type {
  CategoryPatch, CategoryUpdate, ImportReport, ProductCreate, ProductPatch, StockAdjustment, StockMovement,
} from '../../core/api/admin-api.types';
import type { CategoryNode, ProductPage, ProductQuery } from '../../core/api/api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { FormOutcome, NO_PROBLEM, refusal } from '../form-outcome';

/** Where a CSV import stands: sending the file (its share sent), the server importing, its report. */
export type ImportState =
  | { status: 'idle' }
  | { status: 'uploading'; percent: number }
  | { status: 'importing' }
  | { status: 'done'; report: ImportReport }
  | { status: 'refused'; outcome: FormOutcome };

/** Products and categories as staff edit them. */
@Injectable({ providedIn: 'root' })
export class CatalogAdminStore {
  private readonly api = inject(AdminApiClient);
  readonly products = signal<LoadState<ProductPage>>(LOADING);
  readonly categories = signal<LoadState<CategoryNode[]>>(LOADING);
  /** The stock history on show: whose it is, and its movements. */
  readonly movements = signal<{ product: string; state: LoadState<StockMovement[]> } | null>(null);
  readonly importing = signal<ImportState>({ status: 'idle' });
  private lastQuery: ProductQuery = {};

  async loadProducts(query: ProductQuery): Promise<void> {
    this.lastQuery = query;
    this.products.set(LOADING);
    this.products.set(await settle(this.api.products(query)));
  }

  async loadCategories(): Promise<void> {
    this.categories.set(await settle(this.api.categories()));
  }

  createProduct(product: ProductCreate): Promise<FormOutcome> {
    return this.send(() => this.api.createProduct(product), () => this.loadProducts(this.lastQuery));
  }

  /** The shop's listing shows active products only, so the ones deactivated here are kept
   *  aside (this session) to be activated again. */
  readonly deactivated = signal<{ id: string; name: string }[]>([]);

  async setActive(product: { id: string; name: string }, isActive: boolean): Promise<FormOutcome> {
    const outcome = await this.send(() => this.api.updateProduct(product.id, { isActive }),
                                    () => this.loadProducts(this.lastQuery));
    if (outcome.ok) {
      this.deactivated.update((all) => [...all.filter((each) => each.id !== product.id), ...(isActive ? [] : [product])]);
    }
    return outcome;
  }

  updateProduct(ref: string, patch: ProductPatch): Promise<FormOutcome> {
    return this.send(() => this.api.updateProduct(ref, patch), () => this.loadProducts(this.lastQuery));
  }

  adjustStock(ref: string, adjustment: StockAdjustment): Promise<FormOutcome> {
    return this.send(() => this.api.adjustStock(ref, adjustment), async () => {
      await this.loadProducts(this.lastQuery);
      if (this.movements()?.product === ref) await this.loadMovements(ref);
    });
  }

  importCsv(file: File): Promise<void> {
    this.importing.set({ status: 'uploading', percent: 0 });
    return new Promise((resolve) => {
      this.api.importProducts(file).subscribe({
        next: (progress) => {
          if ('report' in progress) {
            this.importing.set({ status: 'done', report: progress.report });
            void this.loadProducts(this.lastQuery);
          } else {
            this.importing.set(progress.percent >= 100 ? { status: 'importing' }
                                                       : { status: 'uploading', percent: progress.percent });
          }
        },
        error: (error) => {
          this.importing.set({ status: 'refused', outcome: refusal(error) });
          resolve();
        },
        complete: () => resolve(),
      });
    });
  }

  async loadMovements(ref: string): Promise<void> {
    this.movements.set({ product: ref, state: LOADING });
    this.movements.set({ product: ref, state: await settle(this.api.stockMovements(ref)) });
  }

  createCategory(category: CategoryUpdate): Promise<FormOutcome> {
    return this.send(() => this.api.createCategory(category), () => this.loadCategories());
  }

  updateCategory(slug: string, patch: CategoryPatch): Promise<FormOutcome> {
    return this.send(() => this.api.updateCategory(slug, patch), () => this.loadCategories());
  }

  private async send(call: () => Promise<unknown>, reload: () => Promise<void>): Promise<FormOutcome> {
    try {
      await call();
    } catch (error) {
      return refusal(error);
    }
    await reload();
    return NO_PROBLEM;
  }
}
