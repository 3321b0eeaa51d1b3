import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
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
    this.inFlight ??= this.api.refresh()
      .then((pair) => { this.tokens.set(pair.accessToken!); return true; })
      .catch(() => { this.tokens.clear(); return false; })
      .finally(() => { this.inFlight = null; });
    return this.inFlight;
  }
}
