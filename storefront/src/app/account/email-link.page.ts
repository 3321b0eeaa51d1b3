import { ChangeDetectionStrategy, Component, OnInit, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { StatusComponent } from '../shared/status.component';
import { RecoveryStore } from './recovery.store';

/** The landing page of a mailed verification link (``mode`` verify) or email-change link (change). */
@Component({
  imports: [RouterLink, StatusComponent],
  providers: [RecoveryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ mode() === 'change' ? 'Confirm your new email address' : 'Verify your email address' }}</h1>
    <app-status [loading]="store.busy()" [error]="store.error()" />
    @if (store.done(); as done) { <p role="status">{{ done }}</p> }
    <p><a routerLink="/products">Continue shopping</a></p>
  `,
})
export class EmailLinkPage implements OnInit {
  readonly token = input('');
  readonly mode = input<'verify' | 'change'>('verify');
  protected readonly store = inject(RecoveryStore);

  ngOnInit(): void {
    void this.store.confirmEmail(this.token(), this.mode() === 'change');
  }
}
