import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { Router } from '@angular/router';
import { errorOf, valueOf } from '../../core/load-state';
import type { Product } from '../../core/api/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { flattenCategories } from '../categories/category-list';
import { CatalogAdminStore } from './catalog-admin.store';
import { FormOutcome, NO_PROBLEM } from '../form-outcome';

/** Products for staff: search and filter, create, import a CSV, edit name and price, deactivate and
 *  activate again, adjust stock with a reason, its history. */
@Component({
  imports: [DatePipe, FieldErrorComponent, PricePipe, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Products</h1>
    <section aria-labelledby="new-product">
      <h2 id="new-product">New product</h2>
      <form class="grid-form" (submit)="create($event)" novalidate>
        @for (field of fields; track field.name) {
          <div class="field">
            <label [for]="'product-' + field.name">{{ field.label }}</label>
            <input [id]="'product-' + field.name" [name]="field.name" [attr.inputmode]="field.inputmode"
                   [attr.aria-invalid]="!!created().fields[field.name]" [attr.aria-describedby]="'product-' + field.name + '-error'" />
            <app-field-error [id]="'product-' + field.name + '-error'" [message]="created().fields[field.name]" />
          </div>
        }
        <div class="field">
          <label for="product-category">Category</label>
          <select id="product-category" name="category" aria-describedby="product-category-error">
            <option value="">None</option>
            @for (row of categoryRows(); track row.slug) { <option [value]="row.slug">{{ row.label }}</option> }
          </select>
          <app-field-error [id]="'product-category-error'" [message]="created().fields['category']" />
        </div>
        <button type="submit">Create product</button>
        <app-status [error]="created().message" />
      </form>
    </section>

    <section aria-labelledby="import-products">
      <h2 id="import-products">Import from CSV</h2>
      <form class="inline-form" (submit)="importCsv($event)" novalidate>
        <div class="field">
          <label for="import-file">CSV file (the columns of <code>commerce catalog import</code>)</label>
          <input id="import-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="import-file-error" />
          <app-field-error [id]="'import-file-error'" [message]="importRefusal()?.fields?.['file']" />
        </div>
        <button type="submit" [disabled]="busyImporting()">Import</button>
      </form>
      @switch (store.importing().status) {
        @case ('uploading') {
          <p role="status"><label for="import-progress">Sending the file</label>
            <progress id="import-progress" max="100" [value]="uploadPercent()">{{ uploadPercent() }}%</progress></p>
        }
        @case ('importing') { <p role="status">Importing…</p> }
        @case ('done') {
          @let report = importReport()!;
          <p role="status" class="import-result">{{ report.created }} created, {{ report.updated }} updated,
            {{ report.errors.length }} row(s) rejected.</p>
          @if (report.errors.length) {
            <ul class="import-errors">@for (error of report.errors; track $index) { <li>{{ error }}</li> }</ul>
          }
        }
        @case ('refused') { <app-status [error]="importRefusal()?.message ?? null" /> }
      }
    </section>

    <h2>Catalog</h2>
    <form class="filters" role="search" aria-label="Products" (submit)="filter($event)">
      <label>Search <input type="search" name="q" [value]="q() ?? ''" maxlength="200" /></label>
      <label>Category
        <select name="category">
          <option value="">Any</option>
          @for (row of categoryRows(); track row.slug) {
            <option [value]="row.slug" [selected]="row.slug === category()">{{ row.label }}</option>
          }
        </select>
      </label>
      <button type="submit">Filter</button>
    </form>
    @switch (store.products().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.products())" /> }
      @case ('ready') {
        @let page = valueOf(store.products(), null)!;
        <table>
          <caption class="visually-hidden">Products</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">SKU</th><th scope="col">Price</th><th scope="col">Stock</th>
            <th scope="col">Adjust stock</th><th scope="col">Active</th></tr></thead>
          <tbody>
            @for (product of page.items; track product.id) {
              <tr [attr.data-sku]="product.sku">
                <td>{{ product.name }}</td><td>{{ product.sku }}</td><td>{{ product.price | price: product.currency }}</td>
                <td class="stock">{{ product.stockQuantity }}</td>
                <td>
                  <form class="inline-form" (submit)="adjust($event, product)" novalidate>
                    <label class="visually-hidden" [for]="'delta-' + product.id">Change for {{ product.name }}</label>
                    <input [id]="'delta-' + product.id" name="delta" inputmode="numeric" placeholder="+10 / -2"
                           [attr.aria-describedby]="'adjust-' + product.id + '-error'" />
                    <label class="visually-hidden" [for]="'reason-' + product.id">Reason for {{ product.name }}</label>
                    <input [id]="'reason-' + product.id" name="reason" placeholder="reason" maxlength="200" />
                    <button type="submit">Adjust</button>
                    <button type="button" class="link" (click)="store.loadMovements(product.id!)">History<span class="visually-hidden"> of {{ product.name }}</span></button>
                    <app-field-error [id]="'adjust-' + product.id + '-error'" [message]="adjustError(product.id!)" />
                  </form>
                </td>
                <td><button type="button" class="secondary" (click)="store.setActive({ id: product.id!, name: product.name! }, false)">Deactivate<span class="visually-hidden"> {{ product.name }}</span></button></td>
              </tr>
              <tr class="edit-row">
                <td colspan="6">
                  <details>
                    <summary>Edit {{ product.name }}</summary>
                    <form class="inline-form" (submit)="edit($event, product)" novalidate>
                      <div class="field">
                        <label [for]="'edit-name-' + product.id">Name</label>
                        <input [id]="'edit-name-' + product.id" name="name" [value]="product.name" maxlength="255"
                               [attr.aria-describedby]="'edit-name-' + product.id + '-error'" />
                        <app-field-error [id]="'edit-name-' + product.id + '-error'" [message]="editError(product.id!, 'name')" />
                      </div>
                      <div class="field">
                        <label [for]="'edit-price-' + product.id">Price</label>
                        <input [id]="'edit-price-' + product.id" name="price" [value]="product.price" inputmode="decimal"
                               [attr.aria-describedby]="'edit-price-' + product.id + '-error'" />
                        <app-field-error [id]="'edit-price-' + product.id + '-error'" [message]="editError(product.id!, 'price')" />
                      </div>
                      <button type="submit">Save</button>
                    </form>
                  </details>
                </td>
              </tr>
            } @empty { <tr><td colspan="6">No product matches.</td></tr> }
          </tbody>
        </table>
        <p>{{ page.totalCount }} active products</p>
      }
    }
    @if (store.deactivated().length) {
      <h2>Deactivated</h2>
      <ul class="deactivated">
        @for (product of store.deactivated(); track product.id) {
          <li>{{ product.name }} <button type="button" class="secondary" (click)="store.setActive(product, true)">Activate<span class="visually-hidden"> {{ product.name }}</span></button></li>
        }
      </ul>
    }
    @if (store.movements(); as history) {
      <section class="stock-history" aria-labelledby="stock-history">
        <h2 id="stock-history">Stock movements of {{ nameOf(history.product) }}</h2>
        @switch (history.state.status) {
          @case ('loading') { <app-status [loading]="true" /> }
          @case ('error') { <app-status [error]="errorOf(history.state)" /> }
          @case ('ready') {
            <table>
              <caption class="visually-hidden">Stock movements, newest first</caption>
              <thead><tr><th scope="col">When</th><th scope="col">Change</th><th scope="col">Stock after</th><th scope="col">Reason</th></tr></thead>
              <tbody>
                @for (move of valueOf(history.state, []); track $index) {
                  <tr><td>{{ move.createdAt | date: 'medium' }}</td><td>{{ move.delta > 0 ? '+' : '' }}{{ move.delta }}</td>
                    <td>{{ move.stockAfter }}</td><td class="reason">{{ move.reason }}</td></tr>
                } @empty { <tr><td colspan="4">No movement recorded.</td></tr> }
              </tbody>
            </table>
          }
        }
      </section>
    }
  `,
})
export class ProductsPage {
  readonly q = input<string | undefined>(undefined);
  readonly category = input<string | undefined>(undefined);
  protected readonly store = inject(CatalogAdminStore);
  private readonly router = inject(Router);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly created = signal<FormOutcome>(NO_PROBLEM);
  protected readonly categoryRows = computed(() => flattenCategories(valueOf(this.store.categories(), [])));
  private readonly adjusted = signal<Record<string, FormOutcome>>({});
  private readonly edited = signal<Record<string, FormOutcome>>({});
  protected readonly fields = [
    { name: 'name', label: 'Name', inputmode: null }, { name: 'sku', label: 'SKU', inputmode: null },
    { name: 'price', label: 'Price', inputmode: 'decimal' }, { name: 'stockQuantity', label: 'Stock', inputmode: 'numeric' },
    { name: 'description', label: 'Description', inputmode: null },
  ];

  constructor() {
    void this.store.loadCategories();
    effect(() => void this.store.loadProducts({ q: this.q() || undefined, category: this.category() || undefined,
                                                 sort: 'newest', pageSize: 50 }));
  }

  protected filter(event: Event): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const queryParams = Object.fromEntries([...form.entries()].filter(([, value]) => value !== ''));
    void this.router.navigate(['/admin/products'], { queryParams });
  }

  /** Numbers are sent as typed (text becomes ``NaN`` → the API's error beside the field). */
  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const outcome = await this.store.createProduct({
      name: text('name'), sku: text('sku'), price: text('price'), description: text('description'),
      stockQuantity: text('stockQuantity') === '' ? 0 : Number(text('stockQuantity')),
      category: text('category') || null,
    });
    this.created.set(outcome);
    if (outcome.ok) element.reset();
  }

  protected async adjust(event: Event, product: Product): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const outcome = await this.store.adjustStock(product.id!, {
      delta: Number(String(form.get('delta') ?? '').replace('+', '')), reason: String(form.get('reason') ?? ''),
    });
    this.adjusted.update((all) => ({ ...all, [product.id!]: outcome }));
  }

  protected readonly busyImporting = computed(() => ['uploading', 'importing'].includes(this.store.importing().status));
  protected readonly uploadPercent = computed(() => {
    const state = this.store.importing();
    return state.status === 'uploading' ? state.percent : 0;
  });
  protected readonly importReport = computed(() => {
    const state = this.store.importing();
    return state.status === 'done' ? state.report : null;
  });
  protected readonly importRefusal = computed(() => {
    const state = this.store.importing();
    return state.status === 'refused' ? state.outcome : null;
  });

  protected importCsv(event: Event): void {
    event.preventDefault();
    const file = (event.target as HTMLFormElement).querySelector<HTMLInputElement>('#import-file')?.files?.[0];
    if (file) void this.store.importCsv(file);
  }

  protected async edit(event: Event, product: Product): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const outcome = await this.store.updateProduct(product.id!, {
      name: String(form.get('name') ?? '').trim(), price: String(form.get('price') ?? '').trim(),
    });
    this.edited.update((all) => ({ ...all, [product.id!]: outcome }));
  }

  protected editError(productId: string, field: string): string | undefined {
    const outcome = this.edited()[productId];
    return outcome?.fields[field] ?? (field === 'name' ? outcome?.message ?? undefined : undefined);
  }

  protected nameOf(productId: string): string {
    return valueOf(this.store.products(), null)?.items.find((product) => product.id === productId)?.name ?? 'the product';
  }

  protected adjustError(productId: string): string | undefined {
    const outcome = this.adjusted()[productId];
    if (!outcome || outcome.ok) return undefined;
    return Object.entries(outcome.fields).map(([field, message]) => `${field}: ${message}`).join(' ') || outcome.message || undefined;
  }
}
