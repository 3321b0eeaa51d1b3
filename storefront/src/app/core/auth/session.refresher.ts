import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { TokenPair } from '../api/api.types';
import { TokenStore } from './token.store';

/**
 * Exchanges the refresh cookie for a new access token, once at a time: concurrent 401s share
 * one refresh, because each refresh token works once and a second use revokes the login.
 */
@Injectable({ providedIn: 'root' })
export class SessionRefresher {
  private readonly api = inject(ApiClient);
  private readonly tokens = inject(TokenStore);
  private inFlight: Promise<boolean> | null = null;

  refresh(): Promise<boolean> {
    return this.inFlight ?? this.exchange();
  }

  /** Makes a fresh pair this session's (a password change's, whose answer also set the new
   *  refresh cookie): its access token from now on. */
  adopt(pair: TokenPair): void {
    this.tokens.set(pair.accessToken!);
  }

  private exchange(): Promise<boolean> {
    const call: Promise<boolean> = this.api.refresh()
      .then((pair) => { this.tokens.set(pair.accessToken!); return true; })
      .catch(() => { this.tokens.clear(); return false; })
      .finally(() => { if (this.inFlight === call) this.inFlight = null; });
    this.inFlight = call;
    return call;
  }
}
