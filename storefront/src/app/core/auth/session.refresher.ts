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

  /**
   * Makes a pair the API handed out in a body (a password change, which revoked every earlier
   * token and so the cookie's) this session's: its access token at once, and its refresh token
   * exchanged once, so the API sets the cookie that later refreshes and reloads use.
   */
  adopt(pair: TokenPair): Promise<boolean> {
    this.tokens.set(pair.accessToken!);
    return this.exchange(pair.refreshToken);
  }

  private exchange(refreshToken?: string): Promise<boolean> {
    const call: Promise<boolean> = this.api.refresh(refreshToken)
      .then((pair) => { this.tokens.set(pair.accessToken!); return true; })
      .catch(() => { this.tokens.clear(); return false; })
      .finally(() => { if (this.inFlight === call) this.inFlight = null; });
    this.inFlight = call;
    return call;
  }
}
