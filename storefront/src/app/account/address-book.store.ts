import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { AddressBookEntry, SavedAddress } from '../core/api/api.types';
import { FormStep } from '../core/form-step';
import { LOADING, LoadState, settle, valueOf } from '../core/load-state';
import { describeProblem } from '../core/problem';

/** The signed-in shopper's saved addresses: the address book page and checkout read them here. */
@Injectable({ providedIn: 'root' })
export class AddressBookStore extends FormStep {
  private readonly api = inject(ApiClient);
  readonly addresses = signal<LoadState<SavedAddress[]>>(LOADING);
  /** The address checkout preselects: the default for shipping, else the first. */
  readonly preferred = computed(() => {
    const saved = valueOf(this.addresses(), [] as SavedAddress[]);
    return saved.find((address) => address.isDefaultShipping) ?? saved[0] ?? null;
  });

  async load(): Promise<void> {
    this.addresses.set(await settle(this.api.addresses()));
  }

  /** True once saved (the list reloaded); false with the API's messages by field. */
  add(entry: AddressBookEntry): Promise<boolean> {
    return this.run(async () => {
      await this.api.addAddress(entry);
      await this.load();
      return '';
    });
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
