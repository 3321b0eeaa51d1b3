import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { AdminApiClient } from '../core/api/admin-api-client';
import type { ConsoleSite } from '../core/api/admin-api.types';
import { TokenStore } from '../core/auth/token.store';
import { ConsoleStore } from './console.store';

function storeFor(site: ConsoleSite | Error): { store: ConsoleStore; calls: () => number } {
  let calls = 0;
  const api = { site: () => { calls++; return site instanceof Error ? Promise.reject(site) : Promise.resolve(site); } };
  TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  TestBed.inject(TokenStore).set('token-1');
  return { store: TestBed.inject(ConsoleStore), calls: () => calls };
}

const STAFF: ConsoleSite = { name: 'demo', currency: 'USD', plugins: ['catalog', 'cart'],
                             permissions: ['console:open', 'catalog:write', 'jobs:read'] };

describe('ConsoleStore', () => {
  it('shows a page only when the site enables its plugin and the user holds its permission', async () => {
    const { store } = storeFor(STAFF);
    await store.load();
    expect(store.pages().map((page) => page.path)).toEqual(['dashboard', 'products', 'categories', 'jobs']);
    expect(store.may('jobs:manage')).toBeFalse();
  });

  it('shows customers and staff to an admin only', async () => {
    const { store } = storeFor({ ...STAFF, plugins: ['catalog', 'orders'], permissions: [...STAFF.permissions!, 'orders:manage', 'users:manage'] });
    await store.load();
    expect(store.pages().map((page) => page.path)).toEqual(['dashboard', 'orders', 'products', 'categories', 'jobs', 'users']);
  });

  it("shows a plugin's pages only when the site enables the plugin and the user holds their permission", async () => {
    const plugins = ['catalog', 'promotions', 'shipping', 'tax', 'webhooks'];
    const { store } = storeFor({ ...STAFF, plugins, permissions: [...STAFF.permissions!, 'promotions:manage', 'tax:read', 'webhooks:manage'] });
    await store.load();
    expect(store.pages().map((page) => page.path)).toEqual(['dashboard', 'products', 'categories', 'promotions', 'tax', 'webhooks', 'jobs']);
    store.site.set({ ...store.site()!, plugins: ['catalog'] });  // the same permissions on a site without the plugins
    expect(store.pages().map((page) => page.path)).toEqual(['dashboard', 'products', 'categories', 'jobs']);
  });

  it('asks the API again only when the access token changed', async () => {
    const { store, calls } = storeFor(STAFF);
    await store.load();
    await store.load();
    expect(calls()).toBe(1);
    TestBed.inject(TokenStore).set('token-2');
    await store.load();
    expect(calls()).toBe(2);
  });

  it('knows no site and shows no page when the API refuses (a customer)', async () => {
    const { store } = storeFor(new Error('403'));
    expect(await store.load()).toBeNull();
    expect(store.pages()).toEqual([]);
  });
});
