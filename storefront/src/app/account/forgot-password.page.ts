import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { FieldErrorComponent } from '../shared/field-error.component';
import { StatusComponent } from '../shared/status.component';
import { RecoveryStore } from './recovery.store';

/** Ask for a reset link; the answer never says whether the address has an account. */
@Component({
  imports: [FieldErrorComponent, RouterLink, StatusComponent],
  providers: [RecoveryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Forgot your password?</h1>
    @if (store.done(); as done) {
      <p role="status">{{ done }}</p>
    } @else {
      <form (submit)="submit($event)" novalidate>
        <p>Enter the email address of your account: we will mail you a link to choose a new password.</p>
        @let message = store.fieldErrors()['email'];
        <div class="field"><label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" [attr.aria-invalid]="message ? 'true' : null"
                 [attr.aria-describedby]="message ? 'email-error' : null" />
          <app-field-error id="email-error" [message]="message" /></div>
        <app-status [error]="store.error()" />
        <button type="submit" [disabled]="store.busy()">Send the link</button>
      </form>
    }
    <p><a routerLink="/account/sign-in">Back to sign in</a></p>
  `,
})
export class ForgotPasswordPage {
  protected readonly store = inject(RecoveryStore);

  protected submit(event: Event): void {
    event.preventDefault();
    void this.store.forgot(String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim());
  }
}
