import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { errorOf, valueOf } from '../../core/load-state';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusComponent } from '../../shared/status.component';
import { CatalogAdminStore } from '../products/catalog-admin.store';
import { FormOutcome, NO_PROBLEM, rowMessage } from '../form-outcome';
import { CategoryRow, flattenCategories } from './category-list';

/** The category tree, inactive categories too: create, rename, move under another parent, deactivate and activate. */
@Component({
  imports: [FieldErrorComponent, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Categories</h1>
    <section aria-labelledby="new-category">
      <h2 id="new-category">New category</h2>
      <form class="grid-form" (submit)="create($event)" novalidate>
        <div class="field">
          <label for="category-name">Name</label>
          <input id="category-name" name="name" maxlength="255" [attr.aria-invalid]="!!created().fields['name']"
                 aria-describedby="category-name-error" />
          <app-field-error [id]="'category-name-error'" [message]="created().fields['name']" />
        </div>
        <div class="field">
          <label for="category-parent">Parent</label>
          <select id="category-parent" name="parent" aria-describedby="category-parent-error">
            <option value="">None (top level)</option>
            @for (row of rows(); track row.slug) { <option [value]="row.slug">{{ row.label }}</option> }
          </select>
          <app-field-error [id]="'category-parent-error'" [message]="created().fields['parent']" />
        </div>
        <button type="submit">Create category</button>
        <app-status [error]="created().message" />
      </form>
    </section>

    <h2>Tree</h2>
    @switch (store.categories().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.categories())" /> }
      @case ('ready') {
        <table>
          <caption class="visually-hidden">Categories</caption>
          <thead><tr><th scope="col">Category</th><th scope="col">Rename</th><th scope="col">Move under</th><th scope="col">State</th></tr></thead>
          <tbody>
            @for (row of rows(); track row.slug) {
              <tr [attr.data-slug]="row.slug">
                <td class="tree-name" [attr.data-depth]="row.depth">{{ row.label }}</td>
                <td>
                  <form class="inline-form" (submit)="rename($event, row)" novalidate>
                    <label class="visually-hidden" [for]="'rename-' + row.slug">New name for {{ row.name }}</label>
                    <input [id]="'rename-' + row.slug" name="name" [value]="row.name" maxlength="255" />
                    <button type="submit">Rename</button>
                  </form>
                </td>
                <td>
                  <form class="inline-form" (submit)="move($event, row)" novalidate>
                    <label class="visually-hidden" [for]="'move-' + row.slug">New parent of {{ row.name }}</label>
                    <select [id]="'move-' + row.slug" name="parent">
                      <option value="">Top level</option>
                      @for (other of rows(); track other.slug) {
                        @if (other.slug !== row.slug) { <option [value]="other.slug">{{ other.label }}</option> }
                      }
                    </select>
                    <button type="submit">Move</button>
                  </form>
                </td>
                <td><span class="category-state">{{ row.isActive ? 'Active' : 'Inactive' }}</span>
                  <button type="button" class="secondary" (click)="send(row, { isActive: !row.isActive })">{{ row.isActive ? 'Deactivate' : 'Activate' }}<span class="visually-hidden"> {{ row.name }}</span></button></td>
              </tr>
              @if (rowErrors()[row.slug]; as message) { <tr><td colspan="4" class="error" role="alert">{{ row.name }}: {{ message }}</td></tr> }
            } @empty { <tr><td colspan="4">No category yet.</td></tr> }
          </tbody>
        </table>
      }
    }
  `,
})
export class CategoriesPage {
  protected readonly store = inject(CatalogAdminStore);
  protected readonly errorOf = errorOf;
  protected readonly created = signal<FormOutcome>(NO_PROBLEM);
  protected readonly rowErrors = signal<Record<string, string>>({});
  protected readonly rows = computed(() => flattenCategories(valueOf(this.store.categories(), [])));

  constructor() {
    void this.store.loadCategories();
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const form = new FormData(element);
    const outcome = await this.store.createCategory({
      name: String(form.get('name') ?? '').trim(), parent: String(form.get('parent') ?? '') || null,
    });
    this.created.set(outcome);
    if (outcome.ok) element.reset();
  }

  protected rename(event: Event, row: CategoryRow): void {
    event.preventDefault();
    void this.send(row, { name: String(new FormData(event.target as HTMLFormElement).get('name') ?? '').trim() });
  }

  protected move(event: Event, row: CategoryRow): void {
    event.preventDefault();
    void this.send(row, { parent: String(new FormData(event.target as HTMLFormElement).get('parent') ?? '') || null });
  }

  protected async send(row: CategoryRow, patch: { name?: string; parent?: string | null; isActive?: boolean }): Promise<void> {
    const outcome = await this.store.updateCategory(row.slug, patch);
    this.rowErrors.update((all) => ({ ...all, [row.slug]: rowMessage(outcome) }));
  }
}
