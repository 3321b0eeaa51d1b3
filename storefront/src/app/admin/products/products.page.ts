import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { errorOf, valueOf } from '../../core/load-state';
import type { ProductStatus } from '../../core/api/admin-api.types';
import type { Product } from '../../core/api/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { flattenCategories } from '../categories/category-list';
import { CatalogAdminStore, rejectedRow } from './catalog-admin.store';
import { FormOutcome, NO_PROBLEM } from '../form-outcome';

/** Products for staff: search and filter (active, inactive or all), create, import a CSV in the
 *  background with its progress, edit name and price, deactivate and activate; each product's own
 *  page has its variants, images and stock. */
@Component({
  imports: [FieldErrorComponent, PricePipe, RouterLink, StatusComponent],
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
        @case ('running') {
          @let run = importRun()!;
          <p role="status" class="import-progress"><label for="import-rows">Importing: {{ run.rowsDone }} of {{ run.totalRows }} rows,
            {{ run.rejected }} rejected</label>
            <progress id="import-rows" [max]="run.totalRows || 1" [value]="run.rowsDone"></progress></p>
        }
        @case ('done') {
          @let run = importRun()!;
          <p role="status" class="import-result">{{ run.created }} created, {{ run.updated }} updated,
            {{ run.rejected }} row(s) rejected{{ run.state === 'failed' ? '; the import stopped: ' + run.failure : '' }}.</p>
          @if (run.errors.length) {
            <table class="import-errors">
              <caption>Rejected rows{{ run.rejected > run.errors.length ? ' (the first ' + run.errors.length + ')' : '' }}</caption>
              <thead><tr><th scope="col">Line</th><th scope="col">Field and message</th></tr></thead>
              <tbody>
                @for (error of rejectedRows(); track $index) { <tr><td>{{ error.line }}</td><td class="import-error">{{ error.message }}</td></tr> }
              </tbody>
            </table>
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
      <label>State
        <select name="status">
          @for (each of statuses; track each.value) {
            <option [value]="each.value" [selected]="each.value === (status() ?? 'active')">{{ each.label }}</option>
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
            <th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (product of page.items; track product.id) {
              <tr [attr.data-sku]="product.sku">
                <td><a [routerLink]="['/admin/products', product.id]">{{ product.name }}</a></td><td>{{ product.sku }}</td>
                <td>{{ product.price | price: product.currency }}</td><td class="stock">{{ product.stockQuantity }}</td>
                <td class="product-state">{{ product.isActive ? 'Active' : 'Inactive' }}</td>
                <td><button type="button" class="secondary" (click)="store.setActive(product.id!, !product.isActive)">{{ product.isActive ? 'Deactivate' : 'Activate' }}<span class="visually-hidden"> {{ product.name }}</span></button></td>
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
        <p>{{ page.totalCount }} products</p>
      }
    }
  `,
})
export class ProductsPage {
  readonly q = input<string | undefined>(undefined);
  readonly category = input<string | undefined>(undefined);
  readonly status = input<ProductStatus | undefined>(undefined);
  protected readonly store = inject(CatalogAdminStore);
  private readonly router = inject(Router);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly created = signal<FormOutcome>(NO_PROBLEM);
  protected readonly categoryRows = computed(() => flattenCategories(valueOf(this.store.categories(), [])));
  private readonly edited = signal<Record<string, FormOutcome>>({});
  protected readonly statuses: { value: ProductStatus; label: string }[] = [
    { value: 'active', label: 'Active' }, { value: 'inactive', label: 'Inactive' }, { value: 'all', label: 'All' },
  ];
  protected readonly fields = [
    { name: 'name', label: 'Name', inputmode: null }, { name: 'sku', label: 'SKU', inputmode: null },
    { name: 'price', label: 'Price', inputmode: 'decimal' }, { name: 'stockQuantity', label: 'Stock', inputmode: 'numeric' },
    { name: 'description', label: 'Description', inputmode: null },
  ];

  constructor() {
    void this.store.loadCategories();
    effect(() => void this.store.loadProducts({ q: this.q() || undefined, category: this.category() || undefined,
                                                 status: this.status() || undefined, sort: 'newest', pageSize: 50 }));
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

  protected readonly busyImporting = computed(() => ['uploading', 'running'].includes(this.store.importing().status));
  protected readonly uploadPercent = computed(() => {
    const state = this.store.importing();
    return state.status === 'uploading' ? state.percent : 0;
  });
  protected readonly importRun = computed(() => {
    const state = this.store.importing();
    return state.status === 'running' || state.status === 'done' ? state.run : null;
  });
  protected readonly rejectedRows = computed(() => (this.importRun()?.errors ?? []).map(rejectedRow));
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
}
