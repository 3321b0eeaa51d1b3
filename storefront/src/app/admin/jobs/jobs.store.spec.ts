import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { JobsStore } from './jobs.store';

const FAILED = { id: 'j1', task: 'orders.send_confirmation', state: 'failed', traceback: 'Traceback …' };

describe('JobsStore', () => {
  let retried = 0;
  let refuseRetry = false;
  const api = {
    jobCounts: () => Promise.resolve({ queued: 0, running: 0, succeeded: 3, failed: retried ? 0 : 1, retrying: 0 }),
    jobs: () => Promise.resolve({ items: [], totalCount: 0, page: 1, pageSize: 50 }),
    job: () => Promise.resolve(FAILED),
    retryJob: () => {
      if (refuseRetry) return Promise.reject(new HttpErrorResponse({ status: 409, error: { detail: 'The job has not failed.' } }));
      retried++;
      return Promise.resolve({ ...FAILED, state: 'queued' });
    },
  };

  beforeEach(() => {
    retried = 0;
    refuseRetry = false;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('retries a failed run and reloads the counts', async () => {
    const store = TestBed.inject(JobsStore);
    await store.load('failed');
    await store.open('j1');
    expect(store.opened()?.traceback).toBe('Traceback …');
    await store.retry('j1');
    expect(store.opened()?.state).toBe('queued');
    expect(store.counts()).toEqual({ status: 'ready', value: jasmine.objectContaining({ failed: 0 }) });
  });

  it("shows the API's refusal of a retry", async () => {
    refuseRetry = true;
    const store = TestBed.inject(JobsStore);
    await store.retry('j1');
    expect(store.actionError()).toBe('The job has not failed.');
  });
});
