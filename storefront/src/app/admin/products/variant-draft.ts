import type { ProductVariants } from '../../core/api/admin-api.types';
import type { ProductDetail } from '../../core/api/api.types';

/** An option as the form edits it: its values as typed, separated by commas. */
export interface OptionDraft { name: string; values: string }

/** A variant row of the form (``id`` absent: a new variant; the threshold kept as it is). */
export interface VariantDraft {
  id?: string;
  sku: string;
  options: Record<string, string>;
  price: string;
  stockQuantity: string;
  lowStockThreshold: number;
  isActive: boolean;
}

export function optionDrafts(product: ProductDetail): OptionDraft[] {
  return (product.options ?? []).map((option) => ({ name: option.name, values: option.values.join(', ') }));
}

export function variantDrafts(product: ProductDetail): VariantDraft[] {
  return (product.variants ?? []).map((variant) => ({
    id: variant.id, sku: variant.sku ?? '', options: { ...(variant.options ?? {}) },
    price: variant.price === product.price ? '' : variant.price ?? '', stockQuantity: String(variant.stockQuantity ?? 0),
    lowStockThreshold: variant.lowStockThreshold ?? 5, isActive: variant.isActive ?? true,
  }));
}

/** The body of ``PUT /products/{ref}/variants``: blank options left out, an empty price meaning the
 *  product's, numbers sent as typed (text becomes ``NaN``, which the API names beside the field). */
export function variantsBody(options: OptionDraft[], variants: VariantDraft[]): ProductVariants {
  const named = options.filter((option) => option.name.trim());
  return {
    options: named.map((option) => ({
      name: option.name.trim(), values: option.values.split(',').map((value) => value.trim()).filter(Boolean),
    })),
    variants: variants.map((variant) => ({
      ...(variant.id ? { id: variant.id } : {}),
      sku: variant.sku.trim(),
      options: Object.fromEntries(named.map((option) => option.name.trim()).map((name) => [name, (variant.options[name] ?? '').trim()])),
      price: variant.price.trim() || null,
      stockQuantity: variant.stockQuantity.trim() === '' ? 0 : Number(variant.stockQuantity),
      lowStockThreshold: variant.lowStockThreshold,
      isActive: variant.isActive,
    })),
  };
}
