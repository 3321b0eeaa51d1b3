import { ChangeDetectionStrategy, Component, effect, inject, input } from '@angular/core';
import { DatePipe } from '@angular/common';
import { IsActiveMatchOptions, RouterLink, RouterLinkActive } from '@angular/router';
import type { JobState } from '../../core/api/admin-api.types';
import { errorOf, valueOf } from '../../core/load-state';
import { StatusComponent } from '../../shared/status.component';
import { ConsoleStore } from '../console.store';
import { JobsStore } from './jobs.store';

/** Every state, for the tabs (the compiler fails here when the API gains one). */
const STATES: Record<JobState, string> = {
  queued: 'Queued', running: 'Running', retrying: 'Retrying', failed: 'Failed', succeeded: 'Succeeded',
};

/** The job runs of the site by state; a failed run shows its traceback and can be retried. */
@Component({
  imports: [DatePipe, RouterLink, RouterLinkActive, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Jobs</h1>
    <nav aria-label="Job states" class="tabs">
      <a routerLink="/admin/jobs" routerLinkActive="active" [routerLinkActiveOptions]="exactly" ariaCurrentWhenActive="page">All</a>
      @for (entry of states; track entry[0]) {
        <a routerLink="/admin/jobs" [queryParams]="{ state: entry[0] }" routerLinkActive="active"
           [routerLinkActiveOptions]="exactly" ariaCurrentWhenActive="page">
          {{ entry[1] }} <span class="count" [attr.data-state]="entry[0]">{{ count(entry[0]) }}</span></a>
      }
    </nav>
    @switch (store.runs().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.runs())" /> }
      @case ('ready') {
        <table>
          <caption class="visually-hidden">Job runs</caption>
          <thead><tr><th scope="col">Task</th><th scope="col">State</th><th scope="col">Attempts</th>
            <th scope="col">Created</th><th scope="col">Error</th><th scope="col"><span class="visually-hidden">Details</span></th></tr></thead>
          <tbody>
            @for (run of valueOf(store.runs(), null)?.items ?? []; track run.id) {
              <tr [attr.data-job]="run.id">
                <td>{{ run.task }}</td><td>{{ run.state }}</td><td>{{ run.attempts }}/{{ run.maxAttempts }}</td>
                <td>{{ run.createdAt | date: 'short' }}</td><td>{{ run.error }}</td>
                <td><button type="button" class="link" (click)="store.open(run.id)">Details<span class="visually-hidden"> of {{ run.task }}</span></button></td>
              </tr>
            } @empty { <tr><td colspan="6">No job in this state.</td></tr> }
          </tbody>
        </table>
      }
    }
    <app-status [error]="store.actionError()" />
    @if (store.opened(); as job) {
      <section class="job-detail" aria-labelledby="job-detail">
        <h2 id="job-detail">{{ job.task }} — {{ job.state }}</h2>
        <p>Arguments: <code>{{ job.argumentsSummary }}</code>; request {{ job.requestId ?? '—' }}</p>
        @if (job.traceback) { <pre class="traceback" tabindex="0" aria-label="Traceback">{{ job.traceback }}</pre> }
        @if (job.state === 'failed' && console.may('jobs:manage')) {
          <button type="button" (click)="store.retry(job.id)">Retry</button>
        }
      </section>
    }
  `,
})
export class JobsPage {
  readonly state = input<JobState | undefined>(undefined);
  protected readonly store = inject(JobsStore);
  protected readonly console = inject(ConsoleStore);
  protected readonly states = Object.entries(STATES) as [JobState, string][];
  /** A tab is the current one only with its own ``state`` (or none, for All). */
  protected readonly exactly: IsActiveMatchOptions = { paths: 'exact', queryParams: 'exact', matrixParams: 'ignored',
                                                       fragment: 'ignored' };
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;

  constructor() {
    effect(() => void this.store.load(this.state() || undefined));
  }

  protected count(state: JobState): number | string {
    return valueOf(this.store.counts(), null)?.[state] ?? '';
  }
}
