import type { CategoryNode } from '../../core/api/api.types';

export interface CategoryRow {
  slug: string;
  name: string;
  depth: number;
  /** The label a flat list (a select) shows: the name indented by depth. */
  label: string;
}

/** The category tree as rows in reading order, each knowing its depth. */
export function flattenCategories(nodes: readonly CategoryNode[], depth = 0): CategoryRow[] {
  return nodes.flatMap((node) => [
    { slug: node.slug!, name: node.name!, depth, label: `${'— '.repeat(depth)}${node.name}` },
    ...flattenCategories(node.children ?? [], depth + 1),
  ]);
}
