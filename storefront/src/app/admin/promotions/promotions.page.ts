import { ChangeDetectionStrategy, Component, WritableSignal, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import type { Coupon, DiscountType } from '../../core/api/admin-api.types';
import { errorOf, valueOf } from '../../core/load-state';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { PricePipe } from '../../shared/price.pipe';
import { StatusComponent } from '../../shared/status.component';
import { flattenCategories } from '../categories/category-list';
import { ConsoleStore } from '../console.store';
import { FormOutcome, NO_PROBLEM, rowMessage } from '../form-outcome';
import { CatalogAdminStore } from '../products/catalog-admin.store';
import { couponFromForm, localTime } from './coupon-form';
import { appliesTo } from './promotion-targets';
import { PromotionsStore } from './promotions.store';

/** Every discount type, for the form (the compiler fails here when the API gains one). */
const DISCOUNT_TYPES: Record<DiscountType, string> = { percentage: 'Percentage off', fixed: 'Amount off' };

interface FormField {
  name: keyof Coupon;
  label: string;
  type: 'text' | 'number' | 'datetime-local';
}

/** The form's inputs but the discount type and the active box; each refusal shows beside its input. */
const FIELDS: readonly FormField[] = [
  { name: 'code', label: 'Code (blank: automatic, no code needed)', type: 'text' },
  { name: 'description', label: 'Description (shoppers read it)', type: 'text' },
  { name: 'value', label: 'Value (percent, or an amount)', type: 'text' },
  { name: 'minSubtotal', label: 'Minimum subtotal', type: 'text' },
  { name: 'startsAt', label: 'Starts', type: 'datetime-local' },
  { name: 'endsAt', label: 'Ends', type: 'datetime-local' },
  { name: 'usageLimit', label: 'Uses in all', type: 'number' },
  { name: 'perCustomerLimit', label: 'Uses per customer', type: 'number' },
];

/** Coupons and automatic promotions: create, change (the categories and products they are limited to too),
 *  withdraw (deactivate) and delete. */
@Component({
  imports: [DatePipe, FieldErrorComponent, PricePipe, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Promotions</h1>
    <p>A promotion with a code is a coupon the shopper enters in the cart or at checkout; one without a code
      applies by itself to every cart it fits, and the shopper reads its description.</p>
    <section aria-labelledby="coupon-form-heading">
      <h2 id="coupon-form-heading">{{ editing() ? 'Change ' + name(editing()!) : 'New promotion' }}</h2>
      @for (coupon of [editing()]; track coupon?.id ?? 'new') {
        <form class="grid-form coupon-form" (submit)="save($event, coupon)" novalidate>
          <div class="field">
            <label for="coupon-discountType">Discount</label>
            <select id="coupon-discountType" name="discountType" aria-describedby="coupon-discountType-error"
                    [attr.aria-invalid]="!!outcome().fields['discountType']">
              @for (entry of discountTypes; track entry[0]) {
                <option [value]="entry[0]" [selected]="coupon?.discountType === entry[0]">{{ entry[1] }}</option>
              }
            </select>
            <app-field-error [id]="'coupon-discountType-error'" [message]="outcome().fields['discountType']" />
          </div>
          @for (field of fields; track field.name) {
            <div class="field">
              <label [for]="'coupon-' + field.name">{{ field.label }}</label>
              <input [id]="'coupon-' + field.name" [name]="field.name" [attr.type]="field.type" [value]="initial(coupon, field)"
                     [attr.step]="field.type === 'number' ? 1 : null" [attr.aria-invalid]="!!outcome().fields[field.name]"
                     [attr.aria-describedby]="'coupon-' + field.name + '-error'" />
              <app-field-error [id]="'coupon-' + field.name + '-error'" [message]="outcome().fields[field.name]" />
            </div>
          }
          <fieldset class="coupon-targets">
            <legend>Applies to</legend>
            <p id="coupon-targets-hint">Nothing chosen: the whole order. Else only the lines of the products chosen and
              of products in the categories chosen or below them.</p>
            <div class="field">
              <label for="coupon-category">Category</label>
              <div class="inline-form">
                <select #categorySelect id="coupon-category" aria-describedby="coupon-targets-hint coupon-categoryIds-error"
                        [attr.aria-invalid]="!!outcome().fields['categoryIds']">
                  @for (row of categoryChoices(); track row.id) {
                    <option [value]="row.id">{{ row.path }}{{ row.isActive ? '' : ' (inactive)' }}</option>
                  }
                </select>
                <button type="button" class="secondary" [disabled]="!categoryChoices().length"
                        (click)="choose(categoryIds, categorySelect.value, categoryName(categorySelect.value), categorySelect)">Add category</button>
              </div>
              <app-field-error [id]="'coupon-categoryIds-error'" [message]="outcome().fields['categoryIds']" />
              <app-status [error]="errorOf(catalog.categories())" />
            </div>
            <p id="coupon-categories-chosen">Categories chosen</p>
            <ul class="chosen-categories" aria-labelledby="coupon-categories-chosen">
              @for (id of categoryIds(); track id) {
                <li><input type="hidden" name="categoryIds" [value]="id" />{{ categoryName(id) }}
                  <button type="button" class="link" (click)="drop(categoryIds, id, categoryName(id), categorySelect)">Remove<span class="visually-hidden"> {{ categoryName(id) }}</span></button></li>
              } @empty { <li>None</li> }
            </ul>
            <div class="field">
              <label for="coupon-product-search">Find products by name or SKU</label>
              <div class="inline-form">
                <input #productSearch id="coupon-product-search" type="search" maxlength="200"
                       aria-describedby="coupon-targets-hint coupon-productIds-error" [attr.aria-invalid]="!!outcome().fields['productIds']"
                       (keydown.enter)="find($event, productSearch.value)" />
                <button type="button" class="secondary" (click)="find($event, productSearch.value)">Find products</button>
              </div>
              <app-field-error [id]="'coupon-productIds-error'" [message]="outcome().fields['productIds']" />
            </div>
            @if (store.productMatches(); as matches) {
              @switch (matches.status) {
                @case ('loading') { <app-status [loading]="true" /> }
                @case ('error') { <app-status [error]="errorOf(matches)" /> }
                @case ('ready') {
                  <p id="coupon-products-found">Products found</p>
                  <ul class="product-matches" aria-labelledby="coupon-products-found">
                    @for (product of productChoices(); track product.id) {
                      <li>{{ product.name }} ({{ product.sku }})
                        <button type="button" class="link" (click)="choose(productIds, product.id, productName(product.id), productSearch)">Add<span class="visually-hidden"> {{ product.name }}</span></button></li>
                    } @empty { <li>No other product matches.</li> }
                  </ul>
                }
              }
            }
            <p id="coupon-products-chosen">Products chosen</p>
            <ul class="chosen-products" aria-labelledby="coupon-products-chosen">
              @for (id of productIds(); track id) {
                <li><input type="hidden" name="productIds" [value]="id" />{{ productName(id) }}
                  <button type="button" class="link" (click)="drop(productIds, id, productName(id), productSearch)">Remove<span class="visually-hidden"> {{ productName(id) }}</span></button></li>
              } @empty { <li>None</li> }
            </ul>
            <p class="visually-hidden" role="status">{{ targetNote() }}</p>
          </fieldset>
          <div class="field checkbox">
            <label><input type="checkbox" name="isActive" [checked]="coupon?.isActive ?? true" /> Active</label>
          </div>
          <button type="submit">{{ coupon ? 'Save changes' : 'Create promotion' }}</button>
          @if (coupon) { <button type="button" class="secondary" (click)="edit(null)">Cancel</button> }
          <app-status [error]="outcome().message" />
        </form>
      }
    </section>

    <h2>Promotions</h2>
    @if (pendingDelete(); as coupon) {
      <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete">
        <p id="confirm-delete">Delete {{ name(coupon) }}? Its use count goes with it and this cannot be undone
          (deactivate it instead to keep its history). Orders keep the discount they had.</p>
        <button type="button" (click)="remove(coupon)">Delete</button>
        <button type="button" class="secondary" (click)="pendingDelete.set(null)">Back</button>
      </div>
    }
    @switch (store.coupons().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.coupons())" /> }
      @case ('ready') {
        <table class="coupons">
          <caption class="visually-hidden">Promotions</caption>
          <thead><tr><th scope="col">Code</th><th scope="col">Description</th><th scope="col">Discount</th>
            <th scope="col">Conditions</th><th scope="col">Applies to</th><th scope="col">Used</th><th scope="col">State</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (coupon of valueOf(store.coupons(), []); track coupon.id) {
              <tr [attr.data-code]="coupon.code ?? 'automatic'">
                <td>{{ coupon.code ?? 'Automatic' }}</td>
                <td>{{ coupon.description }}</td>
                <td class="discount">{{ coupon.discountType === 'percentage' ? coupon.value + ' %' : (coupon.value | price: currency()) }}</td>
                <td>
                  @if (coupon.minSubtotal) { from {{ coupon.minSubtotal | price: currency() }} }
                  @if (coupon.startsAt) { <br />starts {{ coupon.startsAt | date: 'short' }} }
                  @if (coupon.endsAt) { <br />ends {{ coupon.endsAt | date: 'short' }} }
                </td>
                <td class="applies-to">{{ appliesTo(coupon, categoryPaths()) }}</td>
                <td>{{ coupon.timesUsed }}{{ coupon.usageLimit !== null ? ' of ' + coupon.usageLimit : '' }}</td>
                <td class="coupon-state">{{ coupon.isActive ? 'Active' : 'Inactive' }}</td>
                <td class="actions">
                  <button type="button" class="link" (click)="edit(coupon)">Edit<span class="visually-hidden"> {{ name(coupon) }}</span></button>
                  <button type="button" class="secondary" (click)="setActive(coupon, !coupon.isActive)">{{ coupon.isActive ? 'Deactivate' : 'Activate' }}<span class="visually-hidden"> {{ name(coupon) }}</span></button>
                  <button type="button" class="secondary" (click)="pendingDelete.set(coupon)">Delete…<span class="visually-hidden"> {{ name(coupon) }}</span></button>
                </td>
              </tr>
              @if (rowErrors()[coupon.id]; as message) { <tr><td colspan="8" class="error" role="alert">{{ name(coupon) }}: {{ message }}</td></tr> }
            } @empty { <tr><td colspan="8">No promotion yet.</td></tr> }
          </tbody>
        </table>
      }
    }
  `,
})
export class PromotionsPage {
  protected readonly store = inject(PromotionsStore);
  protected readonly catalog = inject(CatalogAdminStore);
  private readonly console = inject(ConsoleStore);
  protected readonly fields = FIELDS;
  protected readonly discountTypes = Object.entries(DISCOUNT_TYPES) as [DiscountType, string][];
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly appliesTo = appliesTo;
  protected readonly editing = signal<Coupon | null>(null);
  protected readonly outcome = signal<FormOutcome>(NO_PROBLEM);
  protected readonly pendingDelete = signal<Coupon | null>(null);
  protected readonly rowErrors = signal<Record<string, string>>({});
  /** The form's chosen categories and products, by id (each sent as a hidden input). */
  protected readonly categoryIds = signal<string[]>([]);
  protected readonly productIds = signal<string[]>([]);
  /** What the last add or remove did, for screen readers. */
  protected readonly targetNote = signal('');
  private readonly categoryRows = computed(() => flattenCategories(valueOf(this.catalog.categories(), [])));
  protected readonly categoryPaths = computed(() => new Map(this.categoryRows().map((row) => [row.id, row.path])));
  protected readonly categoryChoices = computed(() => this.categoryRows().filter((row) => !this.categoryIds().includes(row.id)));
  protected readonly productChoices = computed(() => {
    const matches = this.store.productMatches();
    return (matches ? valueOf(matches, []) : []).filter((product) => !this.productIds().includes(product.id));
  });

  constructor() {
    void this.store.load();
    void this.catalog.loadCategories();
  }

  protected categoryName(id: string): string {
    return this.categoryPaths().get(id) ?? `Category ${id}`;
  }

  protected productName(id: string): string {
    const product = this.store.knownProducts()[id];
    return product ? `${product.name} (${product.sku})` : `Product ${id}`;
  }

  protected currency(): string | undefined {
    return this.console.site()?.currency;
  }

  protected name(coupon: Coupon): string {
    return coupon.code ?? `the automatic promotion "${coupon.description}"`;
  }

  protected initial(coupon: Coupon | null, field: FormField): string {
    const value = coupon?.[field.name];
    if (field.type === 'datetime-local') return localTime((value as string | null | undefined) ?? null);
    return value === null || value === undefined ? '' : String(value);
  }

  protected edit(coupon: Coupon | null): void {
    this.outcome.set(NO_PROBLEM);
    this.editing.set(coupon);
    this.categoryIds.set([...(coupon?.categoryIds ?? [])]);
    this.productIds.set([...(coupon?.productIds ?? [])]);
    this.targetNote.set('');
    this.store.forgetProductMatches();
    if (coupon) void this.store.lookUpProducts(coupon.productIds);
  }

  /** Enter in the search field finds products instead of sending the form. */
  protected find(event: Event, q: string): void {
    event.preventDefault();
    void this.store.findProducts(q.trim());
  }

  /** Add a category or product; the keyboard stays where more are chosen. */
  protected choose(chosen: WritableSignal<string[]>, id: string, name: string, control: HTMLElement): void {
    chosen.update((ids) => [...ids, id]);
    this.targetNote.set(`${name} added.`);
    control.focus();
  }

  /** Remove a category or product; the keyboard goes back to where they are chosen (the button is gone). */
  protected drop(chosen: WritableSignal<string[]>, id: string, name: string, control: HTMLElement): void {
    chosen.update((ids) => ids.filter((other) => other !== id));
    this.targetNote.set(`${name} removed.`);
    control.focus();
  }

  protected async save(event: Event, coupon: Coupon | null): Promise<void> {
    event.preventDefault();
    const body = couponFromForm(new FormData(event.target as HTMLFormElement));
    const outcome = coupon ? await this.store.change(coupon.id, body) : await this.store.create(body);
    this.outcome.set(outcome);
    if (outcome.ok) {
      this.edit(null);
      (event.target as HTMLFormElement).reset();
    }
  }

  protected setActive(coupon: Coupon, isActive: boolean): Promise<void> {
    return this.rowAction(coupon, () => this.store.change(coupon.id, { isActive }));
  }

  protected remove(coupon: Coupon): Promise<void> {
    this.pendingDelete.set(null);
    return this.rowAction(coupon, () => this.store.remove(coupon.id));
  }

  private async rowAction(coupon: Coupon, action: () => Promise<FormOutcome>): Promise<void> {
    const outcome = await action();
    this.rowErrors.update((all) => ({ ...all, [coupon.id]: rowMessage(outcome) }));
  }
}
