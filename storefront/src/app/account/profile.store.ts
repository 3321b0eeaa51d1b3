import { Injectable, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { CurrentUser } from '../core/api/api.types';
import { AuthStore } from '../core/auth/auth.store';
import { FormStep } from '../core/form-step';
import { LOADING, LoadState, settle } from '../core/load-state';

/** The "My account" page: the shopper's name, email (its verification, a change) and password,
 *  each form with its own outcome. Provided per page, so each visit starts blank. */
@Injectable()
export class ProfileStore {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthStore);
  readonly user = signal<LoadState<CurrentUser>>(LOADING);
  readonly name = new FormStep();
  readonly verification = new FormStep();
  readonly email = new FormStep();
  readonly password = new FormStep();

  async load(): Promise<void> {
    this.user.set(LOADING);
    this.user.set(await settle(this.api.me()));
  }

  /** An empty name is cleared (null), as the API stores no blank names. */
  saveName(firstName: string, lastName: string): Promise<boolean> {
    return this.name.run(async () => {
      const user = await this.api.updateProfile({ firstName: firstName || null, lastName: lastName || null });
      this.user.set({ status: 'ready', value: user });
      return 'Your name is saved.';
    });
  }

  resendVerification(): Promise<boolean> {
    return this.verification.run(async () => (await this.api.resendVerification()).detail);
  }

  /** The account's email changes only once the link mailed to ``newEmail`` is opened. */
  changeEmail(newEmail: string, password: string): Promise<boolean> {
    return this.email.run(async () => (await this.api.changeEmail({ newEmail, password })).detail);
  }

  /** ``confirmation`` must repeat ``newPassword`` (checked here, before asking the API). */
  async changePassword(currentPassword: string, newPassword: string, confirmation: string): Promise<boolean> {
    if (newPassword !== confirmation) {
      this.password.refuse('confirmPassword', 'The two new passwords differ.');
      return false;
    }
    return this.password.run(async () => {
      await this.auth.changePassword({ currentPassword, newPassword });
      return 'Your password is changed; you stay signed in.';
    });
  }
}
