import { Injectable, signal } from '@angular/core';

const KEY = 'commerce.cartToken';

/** The guest cart's token (``X-Cart-Token``): it names a cart, it signs nobody in. */
@Injectable({ providedIn: 'root' })
export class CartTokenStore {
  readonly token = signal<string | null>(localStorage.getItem(KEY));

  set(token: string): void {
    if (token === this.token()) return;
    localStorage.setItem(KEY, token);
    this.token.set(token);
  }
  clear(): void {
    localStorage.removeItem(KEY);
    this.token.set(null);
  }
}
