import { Injectable, computed, inject, signal } from '@angular/core';
import { AdminApiClient } from '../core/api/admin-api-client';
import { TokenStore } from '../core/auth/token.store';
import type { ConsoleSite } from '../core/api/admin-api.types';
import { CONSOLE_PAGES, ConsolePage } from './console-pages';

/** The site as the signed-in staff member may see it: plugins, permissions, the pages that follow. */
@Injectable({ providedIn: 'root' })
export class ConsoleStore {
  private readonly api = inject(AdminApiClient);
  private readonly tokens = inject(TokenStore);
  readonly site = signal<ConsoleSite | null>(null);
  private loadedWith: string | null = null;
  readonly pages = computed(() => CONSOLE_PAGES.filter((page) => this.shows(page)));

  /** The site as this session may see it, asked again whenever the access token changed (another
   *  sign-in, a refresh). A refusal (a customer, an expired session) leaves ``site`` empty. */
  async load(): Promise<ConsoleSite | null> {
    const token = this.tokens.accessToken();
    if (token === null || token !== this.loadedWith) {
      this.loadedWith = token;
      this.site.set(await this.api.site().catch(() => null));
    }
    return this.site();
  }

  may(permission: string): boolean {
    return this.site()?.permissions?.includes(permission) ?? false;
  }

  shows(page: ConsolePage): boolean {
    const site = this.site();
    return !!site && (page.plugin === null || !!site.plugins?.includes(page.plugin)) && this.may(page.permission);
  }
}
