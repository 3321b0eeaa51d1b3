import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { errorOf, valueOf } from '../core/load-state';
import { StatusComponent } from '../shared/status.component';
import { TextField, TextFieldsComponent } from '../shared/text-fields.component';
import { ProfileStore } from './profile.store';

const EMAIL_FIELDS: TextField[] = [
  { name: 'newEmail', label: 'New email address', type: 'email', autocomplete: 'email' },
  { name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password' },
];
const PASSWORD_FIELDS: TextField[] = [
  { name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password' },
  { name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password' },
  { name: 'confirmPassword', label: 'Repeat the new password', type: 'password', autocomplete: 'new-password' },
];

/** My account: the name, the email address (verified or not, a change by mailed link), the password. */
@Component({
  imports: [StatusComponent, TextFieldsComponent],
  providers: [ProfileStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>My account</h1>
    <app-status [loading]="store.user().status === 'loading'" [error]="errorOf(store.user())" />
    @if (user(); as user) {
      <section aria-labelledby="name-heading">
        <h2 id="name-heading">Your name</h2>
        <form (submit)="saveName($event)" novalidate aria-labelledby="name-heading">
          <app-text-fields idPrefix="name" [fields]="nameFields()" [errors]="store.name.fieldErrors()" />
          <app-status [error]="store.name.error()" />
          @if (store.name.done(); as done) { <p role="status">{{ done }}</p> }
          <button type="submit" [disabled]="store.name.busy()">Save the name</button>
        </form>
      </section>

      <section aria-labelledby="email-heading">
        <h2 id="email-heading">Email address</h2>
        <p class="email-state">{{ user.email }}:
          @if (user.emailVerified) { <strong>Verified</strong> } @else {
            <strong>Not verified yet</strong>
            <button type="button" class="link" (click)="store.resendVerification()"
                    [disabled]="store.verification.busy()">Send the link again</button>
          }
        </p>
        <app-status [error]="store.verification.error()" />
        @if (store.verification.done(); as done) { <p role="status">{{ done }}</p> }
        <form (submit)="changeEmail($event)" novalidate aria-labelledby="change-email-heading">
          <h3 id="change-email-heading">Change the email address</h3>
          <p>A link goes to the new address; your email changes once you open it.</p>
          <app-text-fields idPrefix="email" [fields]="emailFields" [errors]="store.email.fieldErrors()" />
          <app-status [error]="store.email.error()" />
          @if (store.email.done(); as done) { <p role="status">{{ done }}</p> }
          <button type="submit" [disabled]="store.email.busy()">Send the link</button>
        </form>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <form (submit)="changePassword($event)" novalidate aria-labelledby="password-heading">
          <app-text-fields idPrefix="password" [fields]="passwordFields" [errors]="store.password.fieldErrors()" />
          <app-status [error]="store.password.error()" />
          @if (store.password.done(); as done) { <p role="status">{{ done }}</p> }
          <button type="submit" [disabled]="store.password.busy()">Change the password</button>
        </form>
      </section>
    }
  `,
})
export class ProfilePage implements OnInit {
  protected readonly store = inject(ProfileStore);
  protected readonly user = computed(() => valueOf(this.store.user(), null));
  protected readonly nameFields = computed<TextField[]>(() => [
    { name: 'firstName', label: 'First name', autocomplete: 'given-name', value: this.user()?.firstName },
    { name: 'lastName', label: 'Last name', autocomplete: 'family-name', value: this.user()?.lastName },
  ]);
  protected readonly emailFields = EMAIL_FIELDS;
  protected readonly passwordFields = PASSWORD_FIELDS;
  protected readonly errorOf = errorOf;

  ngOnInit(): void {
    void this.store.load();
  }

  protected saveName(event: Event): void {
    const form = this.read(event);
    void this.store.saveName(form.text('firstName'), form.text('lastName'));
  }

  protected async changeEmail(event: Event): Promise<void> {
    const form = this.read(event);
    if (await this.store.changeEmail(form.text('newEmail'), form.secret('password'))) form.element.reset();
  }

  protected async changePassword(event: Event): Promise<void> {
    const form = this.read(event);
    const changed = await this.store.changePassword(form.secret('currentPassword'), form.secret('newPassword'),
                                                    form.secret('confirmPassword'));
    if (changed) form.element.reset();
  }

  /** A submitted form's values: text trimmed, passwords as typed. */
  private read(event: Event) {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const data = new FormData(element);
    const secret = (name: string) => String(data.get(name) ?? '');
    return { element, secret, text: (name: string) => secret(name).trim() };
  }
}
