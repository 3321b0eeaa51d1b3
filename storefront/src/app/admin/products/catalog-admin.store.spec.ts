import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { Subject } from 'rxjs';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { CatalogAdminStore } from './catalog-admin.store';

describe('CatalogAdminStore', () => {
  let refuse = false;
  const patches: unknown[] = [];
  const upload = new Subject<unknown>();
  const api = {
    importProducts: () => upload,
    products: () => Promise.resolve({ items: [], totalCount: 0, page: 1, pageSize: 50 }),
    updateProduct: (ref: string, patch: unknown) => {
      patches.push([ref, patch]);
      return refuse
        ? Promise.reject(new HttpErrorResponse({ status: 422, error: { detail: 'Invalid.', errors: { price: ['Not an amount.'] } } }))
        : Promise.resolve({});
    },
  };

  beforeEach(() => {
    refuse = false;
    patches.length = 0;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('keeps a deactivated product aside until it is activated again', async () => {
    const store = TestBed.inject(CatalogAdminStore);
    const lamp = { id: 'p1', name: 'Lamp' };
    expect((await store.setActive(lamp, false)).ok).toBeTrue();
    expect(store.deactivated()).toEqual([lamp]);
    await store.setActive(lamp, true);
    expect(store.deactivated()).toEqual([]);
    expect(patches).toEqual([['p1', { isActive: false }], ['p1', { isActive: true }]]);
  });

  it('hands back the problem by field when the API refuses an edit', async () => {
    refuse = true;
    const outcome = await TestBed.inject(CatalogAdminStore).updateProduct('p1', { price: 'forty' });
    expect(outcome).toEqual({ ok: false, message: null, fields: { price: 'Not an amount.' } });
  });

  it('follows an import from the upload to its report', async () => {
    const store = TestBed.inject(CatalogAdminStore);
    const done = store.importCsv(new File(['sku,name,price'], 'p.csv'));
    upload.next({ percent: 40 });
    expect(store.importing()).toEqual({ status: 'uploading', percent: 40 });
    upload.next({ percent: 100 });
    expect(store.importing().status).toBe('importing');
    const report = { created: 1, updated: 0, errors: ['line 3: price: Must be more than 0.'] };
    upload.next({ report });
    upload.complete();
    await done;
    expect(store.importing()).toEqual({ status: 'done', report });
  });
});
