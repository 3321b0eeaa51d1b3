import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { CatalogStore } from './catalog.store';
import { CategoryTreeComponent } from './category-tree.component';
import { ProductCardComponent } from './product-card.component';
import { StatusComponent } from '../shared/status.component';
import type { ProductQuery } from '../core/api/api.types';
import { errorOf, valueOf } from '../core/load-state';

/** The home page's listing: the newest products. */
export const HOME_LISTING: ProductQuery = { sort: 'newest', pageSize: 8 };

/** The landing page: the category tree and the newest products. */
@Component({
  imports: [CategoryTreeComponent, ProductCardComponent, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Welcome to the shop</h1>
    <!-- Drawn once both loads have settled: a section filling in later would push the other down. -->
    @if (settled()) {
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories</h2>
        @switch (store.categories().status) {
          @case ('error') { <app-status [error]="errorOf(store.categories())" /> }
          @case ('ready') {
            @let tree = valueOf(store.categories(), []);
            @if (tree.length) { <app-category-tree [nodes]="tree" /> }
            @else { <p>No categories yet.</p> }
          }
        }
      </section>
      <section aria-labelledby="new-heading">
        <h2 id="new-heading">New in</h2>
        @switch (store.listing().status) {
          @case ('error') { <app-status [error]="errorOf(store.listing())" /> }
          @case ('ready') {
            <div class="grid">
              @for (product of valueOf(store.listing(), null)?.items ?? [];  track product.id; let i = $index) { <app-product-card [product]="product" [eager]="i < 4" /> }
              @empty { <p>No products yet.</p> }
            </div>
          }
        }
      </section>
    } @else { <app-status [loading]="true" /> }
  `,
})
export class HomePage implements OnInit {
  protected readonly store = inject(CatalogStore);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly settled = computed(() =>
    this.store.categories().status !== 'loading' && this.store.listing().status !== 'loading');

  ngOnInit(): void {
    void this.store.loadCategories();
    void this.store.loadListing(HOME_LISTING);
  }
}
