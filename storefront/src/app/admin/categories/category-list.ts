import type { StaffCategoryNode } from '../../core/api/admin-api.types';

export interface CategoryRow {
  slug: string;
  name: string;
  depth: number;
  /** Whether shoppers see it (the staff tree has inactive categories too). */
  isActive: boolean;
  /** The label a flat list (a select) shows: the name indented by depth. */
  label: string;
}

/** The category tree as rows in reading order, each knowing its depth. */
export function flattenCategories(nodes: readonly StaffCategoryNode[], depth = 0): CategoryRow[] {
  return nodes.flatMap((node) => [
    { slug: node.slug!, name: node.name!, depth, isActive: node.isActive ?? true, label: `${'— '.repeat(depth)}${node.name}` },
    ...flattenCategories(node.children ?? [], depth + 1),
  ]);
}
