import { Injectable, InjectionToken, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type {
  CategoryPatch, CategoryUpdate, ImportRun, ProductCreate, ProductPatch, StaffCategoryNode, StaffProductQuery,
} from '../../core/api/admin-api.types';
import type { ProductPage } from '../../core/api/api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { FormOutcome, refusal, sent } from '../form-outcome';

/** Where a CSV import stands: sending the file (its share sent), the job importing it (the run's
 *  rows done so far, polled), then its report; or refused (the file named by the API). */
export type ImportState =
  | { status: 'idle' }
  | { status: 'uploading'; percent: number }
  | { status: 'running'; run: ImportRun }
  | { status: 'done'; run: ImportRun }
  | { status: 'refused'; outcome: FormOutcome };

/** How long to wait between two looks at a running import (a token so specs need not wait). */
export const IMPORT_POLL_MS = new InjectionToken<number>('IMPORT_POLL_MS', { factory: () => 1000 });

const FINISHED = ['done', 'failed'];

/** ``"line 3: price: Must be more than 0."`` as the row's line and its field and message. */
export function rejectedRow(error: string): { line: string; message: string } {
  const match = /^line (\d+): (.*)$/s.exec(error);
  return match ? { line: match[1], message: match[2] } : { line: '', message: error };
}

/** Products and categories as staff list and edit them. */
@Injectable({ providedIn: 'root' })
export class CatalogAdminStore {
  private readonly api = inject(AdminApiClient);
  private readonly pollMs = inject(IMPORT_POLL_MS);
  readonly products = signal<LoadState<ProductPage>>(LOADING);
  readonly categories = signal<LoadState<StaffCategoryNode[]>>(LOADING);
  readonly importing = signal<ImportState>({ status: 'idle' });
  private lastQuery: StaffProductQuery = {};

  async loadProducts(query: StaffProductQuery): Promise<void> {
    this.lastQuery = query;
    this.products.set(LOADING);
    this.products.set(await settle(this.api.products(query)));
  }

  async loadCategories(): Promise<void> {
    this.categories.set(await settle(this.api.categories()));
  }

  createProduct(product: ProductCreate): Promise<FormOutcome> {
    return sent(() => this.api.createProduct(product), () => this.loadProducts(this.lastQuery));
  }

  setActive(ref: string, isActive: boolean): Promise<FormOutcome> {
    return this.updateProduct(ref, { isActive });
  }

  updateProduct(ref: string, patch: ProductPatch): Promise<FormOutcome> {
    return sent(() => this.api.updateProduct(ref, patch), () => this.loadProducts(this.lastQuery));
  }

  /** Send the file, then follow the job's run until it is done or failed. */
  importCsv(file: File): Promise<void> {
    this.importing.set({ status: 'uploading', percent: 0 });
    return new Promise((resolve) => {
      this.api.importProducts(file).subscribe({
        next: (progress) => {
          if ('run' in progress) void this.follow(progress.run).then(resolve);
          else this.importing.set({ status: 'uploading', percent: progress.percent });
        },
        error: (error) => {
          this.importing.set({ status: 'refused', outcome: refusal(error) });
          resolve();
        },
      });
    });
  }

  private async follow(run: ImportRun): Promise<void> {
    while (!FINISHED.includes(run.state)) {
      this.importing.set({ status: 'running', run });
      await new Promise((wait) => setTimeout(wait, this.pollMs));
      try {
        run = await this.api.importRun(run.id);
      } catch (error) {
        this.importing.set({ status: 'refused', outcome: refusal(error) });
        return;
      }
    }
    this.importing.set({ status: 'done', run });
    await this.loadProducts(this.lastQuery);
  }

  createCategory(category: CategoryUpdate): Promise<FormOutcome> {
    return sent(() => this.api.createCategory(category), () => this.loadCategories());
  }

  updateCategory(slug: string, patch: CategoryPatch): Promise<FormOutcome> {
    return sent(() => this.api.updateCategory(slug, patch), () => this.loadCategories());
  }
}
