import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { Subject } from 'rxjs';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { ImportRun } from '../../core/api/admin-api.types';
import { CatalogAdminStore, IMPORT_POLL_MS, rejectedRow } from './catalog-admin.store';

describe('CatalogAdminStore', () => {
  let refuse = false;
  const patches: unknown[] = [];
  const queries: unknown[] = [];
  let upload = new Subject<unknown>();
  let runs: unknown[] = [];
  const api = {
    importProducts: () => upload,
    importRun: () => Promise.resolve(runs.shift()),
    products: (query: unknown) => {
      queries.push(query);
      return Promise.resolve({ items: [], totalCount: 0, page: 1, pageSize: 50 });
    },
    updateProduct: (ref: string, patch: unknown) => {
      patches.push([ref, patch]);
      return refuse
        ? Promise.reject(new HttpErrorResponse({ status: 422, error: { detail: 'Invalid.', errors: { price: ['Not an amount.'] } } }))
        : Promise.resolve({});
    },
  };
  const run = (state: ImportRun['state'], rowsDone: number, rejected = 0, errors: string[] = []): ImportRun =>
    ({ id: 'r1', state, totalRows: 3, rowsDone, created: rowsDone - rejected, updated: 0, rejected, errors,
       createdAt: '2026-12-03T12:00:00Z' });

  beforeEach(() => {
    refuse = false;
    patches.length = 0;
    queries.length = 0;
    upload = new Subject<unknown>();
    runs = [];
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api },
                                                 { provide: IMPORT_POLL_MS, useValue: 0 }] });
  });

  it('activates or deactivates and lists again with the same filter', async () => {
    const store = TestBed.inject(CatalogAdminStore);
    await store.loadProducts({ status: 'inactive' });
    expect((await store.setActive('p1', true)).ok).toBeTrue();
    expect(patches).toEqual([['p1', { isActive: true }]]);
    expect(queries).toEqual([{ status: 'inactive' }, { status: 'inactive' }]);
  });

  it('hands back the problem by field when the API refuses an edit', async () => {
    refuse = true;
    const outcome = await TestBed.inject(CatalogAdminStore).updateProduct('p1', { price: 'forty' });
    expect(outcome).toEqual({ ok: false, message: null, fields: { price: 'Not an amount.' } });
  });

  it('follows an import from the upload through the rows done to its report', async () => {
    const store = TestBed.inject(CatalogAdminStore);
    const seen: unknown[] = [];
    const done = store.importCsv(new File(['sku,name,price'], 'p.csv'));
    upload.next({ percent: 40 });
    expect(store.importing()).toEqual({ status: 'uploading', percent: 40 });
    const last = run('done', 3, 1, ['line 3: price: Must be more than 0.']);
    runs = [run('running', 2), last];
    upload.next({ run: run('queued', 0) });
    seen.push(store.importing());
    await done;
    expect(seen).toEqual([{ status: 'running', run: run('queued', 0) }]);
    expect(store.importing()).toEqual({ status: 'done', run: last });
    expect(queries.length).toBe(1);  // the listing is read again once the import is done
  });

  it('shows a refused file by its field', async () => {
    const store = TestBed.inject(CatalogAdminStore);
    const done = store.importCsv(new File([''], 'p.csv'));
    upload.error(new HttpErrorResponse({ status: 422, error: { detail: 'No.', errors: { file: ['missing column(s) sku'] } } }));
    await done;
    expect(store.importing()).toEqual({ status: 'refused', outcome: { ok: false, message: null, fields: { file: 'missing column(s) sku' } } });
  });

  it('reads a rejected row as its line and its field and message', () => {
    expect(rejectedRow('line 12: price: Not a number.')).toEqual({ line: '12', message: 'price: Not a number.' });
    expect(rejectedRow('odd')).toEqual({ line: '', message: 'odd' });
  });
});
