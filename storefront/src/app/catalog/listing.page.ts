import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { CategoryNode } from '../core/api/api.types';
import { errorOf, valueOf } from '../core/load-state';
import { StatusComponent } from '../shared/status.component';
import { CatalogStore } from './catalog.store';
import { PAGE_SIZE, queryFromUrl, urlFromForm } from './listing-query';
import { ProductCardComponent } from './product-card.component';

function flatten(nodes: CategoryNode[], depth = 0): { slug: string; label: string }[] {
  return nodes.flatMap((node) => [{ slug: node.slug!, label: `${'— '.repeat(depth)}${node.name}` },
    ...flatten(node.children ?? [], depth + 1)]);
}

/** Products filtered by category, search and price, sorted and paged, all in the URL. */
@Component({
  imports: [ProductCardComponent, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ heading() }}</h1>
    <form class="filters" role="search" aria-label="Filter products" (submit)="apply($event)" novalidate>
      <label>Search <input name="q" type="search" [value]="query().q ?? ''" maxlength="200" /></label>
      <label>Category
        <select name="category">
          <option value="">All</option>
          @for (option of categoryOptions(); track option.slug) {
            <option [value]="option.slug" [selected]="option.slug === query().category">{{ option.label }}</option>
          }
        </select>
      </label>
      <label>Min price <input name="minPrice" inputmode="decimal" [value]="query().minPrice ?? ''" size="6" /></label>
      <label>Max price <input name="maxPrice" inputmode="decimal" [value]="query().maxPrice ?? ''" size="6" /></label>
      <label>Sort
        <select name="sort">
          @for (option of sorts; track option.value) {
            <option [value]="option.value" [selected]="option.value === currentSort()">{{ option.label }}</option>
          }
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
    @switch (store.listing().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.listing())" /> }
      @case ('ready') {
        @let page = valueOf(store.listing(), null)!;
        <p role="status">{{ page.totalCount }} {{ page.totalCount === 1 ? 'product' : 'products' }}</p>
        <h2 class="visually-hidden">Products</h2>
        <div class="grid">
          @for (product of page.items; track product.id; let i = $index) { <app-product-card [product]="product" [eager]="i < 4" /> }
          @empty { <p>No products match. Try another search or filter.</p> }
        </div>
        @if (pages() > 1) {
          <nav aria-label="Pages" class="pager">
            @if (page.page > 1) { <a routerLink="." [queryParams]="{ page: page.page - 1 }" queryParamsHandling="merge">Previous</a> }
            <span>Page {{ page.page }} of {{ pages() }}</span>
            @if (page.page < pages()) { <a routerLink="." [queryParams]="{ page: page.page + 1 }" queryParamsHandling="merge">Next</a> }
          </nav>
        }
      }
    }
  `,
})
export class ListingPage {
  protected readonly store = inject(CatalogStore);
  private readonly router = inject(Router);
  private readonly params = toSignal(inject(ActivatedRoute).queryParamMap, { requireSync: true });
  protected readonly query = computed(() => queryFromUrl(this.params()));
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly sorts = [
    { value: '', label: 'Featured' }, { value: 'price:asc', label: 'Price, low to high' },
    { value: 'price:desc', label: 'Price, high to low' }, { value: 'name:asc', label: 'Name' },
    { value: 'newest:desc', label: 'Newest' }, { value: 'rating:desc', label: 'Best rated' },
  ];
  protected readonly categoryOptions = computed(() => flatten(valueOf(this.store.categories(), [])));
  protected readonly currentSort = computed(() => (this.query().sort ? `${this.query().sort}:${this.query().order ?? 'asc'}` : ''));
  protected readonly pages = computed(() => Math.ceil((valueOf(this.store.listing(), null)?.totalCount ?? 0) / PAGE_SIZE));
  protected readonly heading = computed(() => {
    const { q, category } = this.query();
    const name = this.categoryOptions().find((option) => option.slug === category)?.label.replace(/^(— )+/, '');
    return q ? `Results for “${q}”` : name ?? 'All products';
  });

  constructor() {
    void this.store.loadCategories();
    effect(() => {
      const query = this.query();
      untracked(() => void this.store.loadListing(query));  // only the URL triggers a load
    });
  }

  protected apply(event: Event): void {
    event.preventDefault();
    void this.router.navigate(['/products'], { queryParams: urlFromForm(new FormData(event.target as HTMLFormElement)) });
  }
}
