import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import { FormStep } from '../core/form-step';

/**
 * The pages of the mailed links: asking for a reset link, setting the new password, opening a
 * verification or email-change link. Provided per page, so each starts blank.
 */
@Injectable()
export class RecoveryStore extends FormStep {
  private readonly api = inject(ApiClient);

  forgot(email: string): Promise<boolean> {
    return this.run(async () => (await this.api.forgotPassword(email)).detail);
  }

  reset(token: string, password: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.resetPassword(token, password);
      return 'Your password is changed: sign in with it.';
    });
  }

  confirmEmail(token: string, change: boolean): Promise<boolean> {
    return this.run(async () => `${(await this.api.confirmEmail(token, change)).email} is verified.`);
  }
}
