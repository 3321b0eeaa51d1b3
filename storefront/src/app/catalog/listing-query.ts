import { ParamMap, Params } from '@angular/router';
import type { ProductQuery, ProductSort } from '../core/api/api.types';

export const PAGE_SIZE = 12;
const SORTS: readonly ProductSort[] = ['relevance', 'price', 'name', 'newest', 'rating'];

/** The listing's filters, sort and page as the URL carries them (so a link shares the view). */
export function queryFromUrl(params: ParamMap): ProductQuery {
  const sort = params.get('sort') as ProductSort | null;
  const page = Number(params.get('page') ?? '1');
  return {
    category: params.get('category') ?? undefined,
    q: params.get('q') ?? undefined,
    minPrice: params.get('minPrice') ?? undefined,
    maxPrice: params.get('maxPrice') ?? undefined,
    sort: sort && SORTS.includes(sort) ? sort : undefined,
    order: params.get('order') === 'desc' ? 'desc' : params.get('order') === 'asc' ? 'asc' : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZE,
  };
}

/** A form's values as query parameters: empty ones dropped, back to the first page. */
export function urlFromForm(form: FormData): Params {
  const params: Params = {};
  for (const name of ['q', 'category', 'minPrice', 'maxPrice']) {
    const value = String(form.get(name) ?? '').trim();
    if (value) params[name] = value;
  }
  const [sort, order] = String(form.get('sort') ?? '').split(':');
  if (sort) { params['sort'] = sort; params['order'] = order || 'asc'; }
  return params;
}
