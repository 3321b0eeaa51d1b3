import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { AddressBookEntry, SavedAddress } from '../core/api/api.types';
import { LOADING, LoadState, settle, valueOf } from '../core/load-state';
import { FieldErrors, describeProblem } from '../core/problem';

/** The signed-in shopper's saved addresses: the address book page and checkout read them here. */
@Injectable({ providedIn: 'root' })
export class AddressBookStore {
  private readonly api = inject(ApiClient);
  readonly addresses = signal<LoadState<SavedAddress[]>>(LOADING);
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  readonly fieldErrors = signal<FieldErrors>({});
  /** The address checkout preselects: the default for shipping, else the first. */
  readonly preferred = computed(() => {
    const saved = valueOf(this.addresses(), [] as SavedAddress[]);
    return saved.find((address) => address.isDefaultShipping) ?? saved[0] ?? null;
  });

  async load(): Promise<void> {
    this.addresses.set(await settle(this.api.addresses()));
  }

  /** True once saved (the list reloaded); false with the API's messages by field. */
  async add(entry: AddressBookEntry): Promise<boolean> {
    this.saving.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      await this.api.addAddress(entry);
      await this.load();
      return true;
    } catch (error) {
      const problem = describeProblem(error);
      this.fieldErrors.set(problem.fields);
      this.error.set(problem.message);
      return false;
    } finally {
      this.saving.set(false);
    }
  }

  async remove(addressId: string): Promise<void> {
    this.error.set(null);
    try {
      await this.api.deleteAddress(addressId);
      await this.load();
    } catch (error) {
      this.error.set(describeProblem(error).message);
    }
  }
}
