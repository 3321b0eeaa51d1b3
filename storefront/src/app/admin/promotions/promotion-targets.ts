import type { Coupon } from '../../core/api/admin-api.types';
import type { Product } from '../../core/api/api.types';

/** A product a promotion may be limited to, as staff recognise it: by name and SKU. */
export interface ProductChoice {
  id: string;
  name: string;
  sku: string;
}

export function productChoice(product: Pick<Product, 'id' | 'name' | 'sku'>): ProductChoice {
  return { id: product.id!, name: product.name!, sku: product.sku! };
}

function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What a promotion applies to, as the list says it: ``Everything``, or ``2 categories (Audio, Books), 1 product``.
 *  The categories are named by their path when the tree knows them all; products are counted (naming them costs a
 *  call each). */
export function appliesTo(coupon: Pick<Coupon, 'categoryIds' | 'productIds'>, categoryPaths: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  if (coupon.categoryIds.length) {
    const paths = coupon.categoryIds.map((id) => categoryPaths.get(id));
    const count = counted(coupon.categoryIds.length, 'category', 'categories');
    parts.push(paths.every((path) => path !== undefined) ? `${count} (${paths.join(', ')})` : count);
  }
  if (coupon.productIds.length) parts.push(counted(coupon.productIds.length, 'product', 'products'));
  return parts.join(', ') || 'Everything';
}
