import type { StaffCategoryNode } from '../../core/api/admin-api.types';

export interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  depth: number;
  /** Whether shoppers see it (the staff tree has inactive categories too). */
  isActive: boolean;
  /** The label a flat list (a select) shows: the name indented by depth. */
  label: string;
  /** The names from the top of the tree down to this one: ``Electronics › Audio``. */
  path: string;
}

/** The category tree as rows in reading order, each knowing its depth and its path. */
export function flattenCategories(nodes: readonly StaffCategoryNode[], parents: readonly string[] = []): CategoryRow[] {
  return nodes.flatMap((node) => [
    { id: node.id!, slug: node.slug!, name: node.name!, depth: parents.length, isActive: node.isActive ?? true,
      label: `${'— '.repeat(parents.length)}${node.name}`, path: [...parents, node.name!].join(' › ') },
    ...flattenCategories(node.children ?? [], [...parents, node.name!]),
  ]);
}
