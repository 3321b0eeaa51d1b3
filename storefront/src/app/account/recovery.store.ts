import { Injectable, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import { FieldErrors, describeProblem } from '../core/problem';

/**
 * The pages of the mailed links: asking for a reset link, setting the new password, opening a
 * verification or email-change link. Provided per page, so each starts blank.
 */
@Injectable()
export class RecoveryStore {
  private readonly api = inject(ApiClient);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly fieldErrors = signal<FieldErrors>({});
  /** What to tell the user once the step worked. */
  readonly done = signal<string | null>(null);

  forgot(email: string): Promise<void> {
    return this.run(async () => (await this.api.forgotPassword(email)).detail);
  }

  reset(token: string, password: string): Promise<void> {
    return this.run(async () => {
      await this.api.resetPassword(token, password);
      return 'Your password is changed: sign in with it.';
    });
  }

  confirmEmail(token: string, change: boolean): Promise<void> {
    return this.run(async () => `${(await this.api.confirmEmail(token, change)).email} is verified.`);
  }

  private async run(step: () => Promise<string>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      this.done.set(await step());
    } catch (error) {
      const problem = describeProblem(error);
      this.fieldErrors.set(problem.fields);
      this.error.set(problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}
