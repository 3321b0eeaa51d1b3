import { Injectable, computed, signal } from '@angular/core';

const SESSION_HINT = 'commerce.signedIn';

/**
 * The access token, in memory only (a script injected into the page cannot find it in storage).
 * The refresh token is an HttpOnly cookie this code never sees; ``hadSession`` only says whether
 * trying it on start-up is worth a request (docs/storefront.md).
 */
@Injectable({ providedIn: 'root' })
export class TokenStore {
  readonly accessToken = signal<string | null>(null);
  readonly signedIn = computed(() => this.accessToken() !== null);

  set(token: string): void {
    this.accessToken.set(token);
    localStorage.setItem(SESSION_HINT, '1');
  }
  clear(): void {
    this.accessToken.set(null);
    localStorage.removeItem(SESSION_HINT);
  }
  hadSession(): boolean {
    return localStorage.getItem(SESSION_HINT) === '1';
  }
}
