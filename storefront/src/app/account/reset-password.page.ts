import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { FieldErrorComponent } from '../shared/field-error.component';
import { StatusComponent } from '../shared/status.component';
import { RecoveryStore } from './recovery.store';

/** The mailed reset link's page (``?token=``): choose the new password. */
@Component({
  imports: [FieldErrorComponent, RouterLink, StatusComponent],
  providers: [RecoveryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Choose a new password</h1>
    @if (store.done(); as done) {
      <p role="status">{{ done }}</p>
      <p><a routerLink="/account/sign-in">Sign in</a></p>
    } @else {
      <form (submit)="submit($event)" novalidate>
        @let message = store.fieldErrors()['password'];
        <div class="field"><label for="password">New password</label>
          <input id="password" name="password" type="password" autocomplete="new-password"
                 [attr.aria-invalid]="message ? 'true' : null" [attr.aria-describedby]="message ? 'password-error' : null" />
          <app-field-error id="password-error" [message]="message" /></div>
        <app-status [error]="store.error()" />
        @if (store.fieldErrors()['token']) { <p><a routerLink="/account/forgot-password">Ask for a new link</a></p> }
        <button type="submit" [disabled]="store.busy()">Set the password</button>
      </form>
    }
  `,
})
export class ResetPasswordPage {
  readonly token = input('');
  protected readonly store = inject(RecoveryStore);

  protected submit(event: Event): void {
    event.preventDefault();
    void this.store.reset(this.token(), String(new FormData(event.target as HTMLFormElement).get('password') ?? ''));
  }
}
