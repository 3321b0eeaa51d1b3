import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { JobRunDetail, JobRunPage, JobState, JobStateCounts } from '../../core/api/admin-api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { describeProblem } from '../../core/problem';

/** Background jobs for staff: counts by state, runs by state, one run's traceback, retry. */
@Injectable({ providedIn: 'root' })
export class JobsStore {
  private readonly api = inject(AdminApiClient);
  readonly counts = signal<LoadState<JobStateCounts>>(LOADING);
  readonly runs = signal<LoadState<JobRunPage>>(LOADING);
  readonly opened = signal<JobRunDetail | null>(null);
  readonly actionError = signal<string | null>(null);
  private state: JobState | undefined;

  async load(state: JobState | undefined): Promise<void> {
    this.state = state;
    this.runs.set(LOADING);
    const [counts, runs] = await Promise.all([settle(this.api.jobCounts()), settle(this.api.jobs({ state, pageSize: 50 }))]);
    this.counts.set(counts);
    this.runs.set(runs);
  }

  async open(jobId: string): Promise<void> {
    this.actionError.set(null);
    this.opened.set(await this.api.job(jobId).catch((error) => this.failed(error)));
  }

  async retry(jobId: string): Promise<void> {
    this.actionError.set(null);
    const retried = await this.api.retryJob(jobId).catch((error) => this.failed(error));
    if (retried) {
      this.opened.set(retried);
      await this.load(this.state);
    }
  }

  private failed(error: unknown): null {
    this.actionError.set(describeProblem(error).message);
    return null;
  }
}
