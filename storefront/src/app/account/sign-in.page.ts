import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AuthStore } from '../core/auth/auth.store';
import { FieldErrors, describeProblem } from '../core/problem';
import { CartStore } from '../cart/cart.store';
import { FieldErrorComponent } from '../shared/field-error.component';
import { StatusComponent } from '../shared/status.component';

/** Sign in or register (``mode``); the guest cart merges into the account's; then back where the shopper was. */
@Component({
  imports: [FieldErrorComponent, RouterLink, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ registering() ? 'Create an account' : 'Sign in' }}</h1>
    <form (submit)="submit($event)" novalidate>
      @if (registering()) {
        <div class="field"><label for="firstName">First name</label><input id="firstName" name="firstName" autocomplete="given-name" />
          <app-field-error id="firstName-error" [message]="errors()['firstName']" /></div>
        <div class="field"><label for="lastName">Last name</label><input id="lastName" name="lastName" autocomplete="family-name" />
          <app-field-error id="lastName-error" [message]="errors()['lastName']" /></div>
      }
      <div class="field"><label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" [attr.aria-invalid]="errors()['email'] ? 'true' : null"
               [attr.aria-describedby]="errors()['email'] ? 'email-error' : null" />
        <app-field-error id="email-error" [message]="errors()['email']" /></div>
      <div class="field"><label for="password">Password</label>
        <input id="password" name="password" type="password" [attr.autocomplete]="registering() ? 'new-password' : 'current-password'"
               [attr.aria-invalid]="errors()['password'] ? 'true' : null"
               [attr.aria-describedby]="errors()['password'] ? 'password-error' : null" />
        <app-field-error id="password-error" [message]="errors()['password']" /></div>
      <app-status [error]="error()" />
      <button type="submit" [disabled]="busy()">{{ registering() ? 'Create account' : 'Sign in' }}</button>
    </form>
    @if (registering()) {
      <p>Have an account? <a routerLink="/account/sign-in" [queryParams]="{ returnUrl: returnUrl() }">Sign in</a></p>
    } @else {
      <p><a routerLink="/account/forgot-password">Forgot password?</a></p>
      <p>New here? <a routerLink="/account/register" [queryParams]="{ returnUrl: returnUrl() }">Create an account</a></p>
    }
  `,
})
export class SignInPage {
  readonly returnUrl = input<string>('/');
  readonly mode = input<'sign-in' | 'register'>('sign-in');
  private readonly auth = inject(AuthStore);
  private readonly cart = inject(CartStore);
  private readonly router = inject(Router);
  protected readonly errors = signal<FieldErrors>({});
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected registering = () => this.mode() === 'register';

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    this.busy.set(true);
    this.errors.set({});
    this.error.set(null);
    try {
      const credentials = { email: value('email'), password: String(form.get('password') ?? '') };
      if (this.registering()) {
        await this.auth.register({ ...credentials, firstName: value('firstName') || undefined, lastName: value('lastName') || undefined });
      } else {
        await this.auth.signIn(credentials);
      }
      await this.cart.load();
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error) {
      const problem = describeProblem(error);
      this.errors.set(problem.fields);
      this.error.set(problem.message);
    } finally {
      this.busy.set(false);
    }
  }

  /** Only a path of this site: a crafted link cannot send the shopper elsewhere after sign-in. */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url.startsWith('/') && !url.startsWith('//') ? url : '/';
  }
}
