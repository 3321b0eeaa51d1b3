import { Injectable, inject, signal } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { CurrentUser, Login, PasswordChange, RegisterUser } from '../api/api.types';
import { SessionRefresher } from './session.refresher';
import { TokenStore } from './token.store';

/** Who is signed in, and the ways in and out. */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(ApiClient);
  private readonly tokens = inject(TokenStore);
  private readonly refresher = inject(SessionRefresher);
  readonly user = signal<CurrentUser | null>(null);
  readonly signedIn = this.tokens.signedIn;

  /** On start-up: a previous session's refresh cookie signs the shopper back in. */
  async restore(): Promise<void> {
    if (this.tokens.hadSession() && (await this.refresher.refresh())) await this.loadUser();
  }

  /** Signs in; the API merges the guest cart named by ``X-Cart-Token`` into the account's. */
  async signIn(credentials: Login): Promise<void> {
    const pair = await this.api.login(credentials);
    this.tokens.set(pair.accessToken!);
    await this.loadUser();
  }

  async register(account: RegisterUser): Promise<void> {
    await this.api.register(account);
    await this.signIn({ email: account.email, password: account.password });
  }

  /** Changes the password; the session goes on with the API's new pair (every earlier token is
   *  revoked). False when that pair could not be kept: the shopper is then signed out. */
  async changePassword(change: PasswordChange): Promise<void> {
    this.refresher.adopt(await this.api.changePassword(change));
  }

  async signOut(): Promise<void> {
    try {
      await this.api.logout();
    } finally {
      this.tokens.clear();
      this.user.set(null);
    }
  }

  private async loadUser(): Promise<void> {
    this.user.set(await this.api.me().catch(() => null));
  }
}
