import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CategoryNode } from '../core/api/api.types';

@Component({
  selector: 'app-category-tree',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul>
      @for (node of nodes(); track node.slug) {
        <li>
          <a routerLink="/products" [queryParams]="{ category: node.slug }">{{ node.name }}</a>
          @if (node.children?.length) { <app-category-tree [nodes]="node.children!" /> }
        </li>
      }
    </ul>
  `,
})
export class CategoryTreeComponent {
  readonly nodes = input.required<CategoryNode[]>();
}
