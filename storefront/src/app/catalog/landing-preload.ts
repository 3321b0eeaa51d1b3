import { convertToParamMap } from '@angular/router';
import { catalogUrls } from '../core/api/api-client';
import { HOME_LISTING } from './home.page';
import { queryFromUrl } from './listing-query';

/**
 * The API reads a catalog page makes when a shopper lands on it, by the page's path and query
 * (the routes of `catalog.routes.ts`; any other page makes none worth preloading).
 * `landing-preload.spec.ts` holds them to what the pages really ask for.
 */
export function landingReads(path: string, search: string): string[] {
  if (path === '/') return [catalogUrls.categories(), catalogUrls.products(HOME_LISTING)];
  if (path === '/products') {
    const values: Record<string, string[]> = {};
    for (const [name, value] of new URLSearchParams(search)) (values[name] ??= []).push(value);
    return [catalogUrls.categories(), catalogUrls.products(queryFromUrl(convertToParamMap(values)))];
  }
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (!product) return [];
  const ref = decodeURIComponent(product[1]);
  return [catalogUrls.product(ref), catalogUrls.reviews(ref)];
}

/**
 * Asks the browser for the landing page's API reads while the scripts are still being evaluated
 * (`<link rel="preload" as="fetch">`, same URL and request mode as the client's calls, which the
 * browser then answers from the preload): the answers travel while the app starts instead of after
 * it (decision 0044).
 */
export function preloadLandingReads(document: Document, location: Pick<Location, 'pathname' | 'search'>): void {
  for (const href of landingReads(location.pathname, location.search)) {
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = href;
    document.head.append(link);
  }
}
