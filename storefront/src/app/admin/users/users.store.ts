import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { AdminUser, UserPage, UserQuery } from '../../core/api/admin-api.types';
import { LOADING, LoadState, settle } from '../../core/load-state';
import { describeProblem } from '../../core/problem';

/** Accounts for admins: find by email, grant or take the staff role, deactivate and activate. */
@Injectable({ providedIn: 'root' })
export class UsersStore {
  private readonly api = inject(AdminApiClient);
  readonly users = signal<LoadState<UserPage>>(LOADING);
  /** The API's refusal of the last change, by user id (you cannot deactivate yourself, …). */
  readonly refusals = signal<Record<string, string>>({});

  async load(query: UserQuery): Promise<void> {
    this.users.set(LOADING);
    this.users.set(await settle(this.api.users(query)));
  }

  setRole(user: AdminUser, role: string, held: boolean): Promise<void> {
    return this.change(user.id, () => this.api.setRole(user.id, role, held));
  }

  setActive(user: AdminUser, active: boolean): Promise<void> {
    return this.change(user.id, () => this.api.setUserActive(user.id, active));
  }

  private async change(userId: string, call: () => Promise<AdminUser>): Promise<void> {
    try {
      const changed = await call();
      this.refusals.update((all) => ({ ...all, [userId]: '' }));
      this.users.update((state) => state.status !== 'ready' ? state : {
        status: 'ready', value: { ...state.value, items: state.value.items.map((u) => (u.id === userId ? changed : u)) },
      });
    } catch (error) {
      this.refusals.update((all) => ({ ...all, [userId]: describeProblem(error).message }));
    }
  }
}
