import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { CATALOG_ROUTES } from './catalog.routes';
import { landingReads, preloadLandingReads } from './landing-preload';

const PRODUCT = { id: 'p1', slug: 'lamp', name: 'Lamp', price: '10.00', currency: 'EUR', images: [], options: [], variants: [] };

/** What a catalog page asks the API for when it is drawn at ``url``: the preloads must be exactly these. */
async function readsOf(url: string): Promise<string[]> {
  const harness = await RouterTestingHarness.create();
  const backend = TestBed.inject(HttpTestingController);
  await harness.navigateByUrl(url);
  const asked = backend.match(() => true);
  const urls = asked.map((request) => request.request.urlWithParams);
  // The product page asks for the reviews once the product has arrived.
  const product = asked.find((request) => /^\/api\/products\/[^/?]+$/.test(request.request.url));
  if (product) {
    product.flush(PRODUCT);
    await new Promise((resolve) => setTimeout(resolve));
    urls.push(...backend.match(() => true).map((request) => request.request.urlWithParams));
  }
  return urls;
}

describe('landing preloads', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideRouter(CATALOG_ROUTES, withComponentInputBinding()),
                  provideHttpClient(), provideHttpClientTesting()],
    });
  });

  for (const url of ['/', '/products', '/products?category=books&q=lamp%20shade&minPrice=5&sort=price&order=desc&page=2',
                     '/products?sort=bogus&page=-1', '/products/lamp', '/products/caf%C3%A9-table']) {
    it(`are the reads the page makes at ${url}`, async () => {
      const [path, search = ''] = url.split('?');
      expect(landingReads(path, search ? `?${search}` : '').sort()).toEqual((await readsOf(url)).sort());
    });
  }

  it('are none on the other pages', () => {
    expect(landingReads('/cart', '')).toEqual([]);
    expect(landingReads('/account/orders', '?page=2')).toEqual([]);
  });

  it('become <link rel="preload" as="fetch"> in the head, in the mode of the client\'s calls', () => {
    const page = document.implementation.createHTMLDocument('landing');
    preloadLandingReads(page, new URL('http://shop.test/products?category=books'));
    const links = [...page.head.querySelectorAll('link')];
    expect(links.map((link) => [link.rel, link.as, link.crossOrigin, link.getAttribute('href')])).toEqual([
      ['preload', 'fetch', 'anonymous', '/api/categories'],
      ['preload', 'fetch', 'anonymous', '/api/products?category=books&page=1&pageSize=12'],
    ]);
  });
});
