import { Injectable, computed, inject, signal } from '@angular/core';
import { AdminApiClient } from '../core/api/admin-api-client';
import type { ConsoleSite } from '../core/api/admin-api.types';
import { CONSOLE_PAGES, ConsolePage } from './console-pages';

/** The site as the signed-in staff member may see it: plugins, permissions, the pages that follow. */
@Injectable({ providedIn: 'root' })
export class ConsoleStore {
  private readonly api = inject(AdminApiClient);
  readonly site = signal<ConsoleSite | null>(null);
  readonly pages = computed(() => CONSOLE_PAGES.filter((page) => this.shows(page)));

  /** A refusal (a customer, an expired session) leaves ``site`` empty. */
  async load(): Promise<ConsoleSite | null> {
    this.site.set(await this.api.site().catch(() => null));
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
