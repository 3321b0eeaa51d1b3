import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { SavedAddress } from '../core/api/api.types';
import { AddressBookStore } from './address-book.store';

const HOME = { id: 'a-1', street: '1 Home St', city: 'Boston', zipCode: '02108', isDefaultShipping: false } as SavedAddress;
const WORK = { id: 'a-2', street: '2 Work Ave', city: 'Boston', zipCode: '02110', isDefaultShipping: true } as SavedAddress;

describe('AddressBookStore', () => {
  let store: AddressBookStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(AddressBookStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  async function loaded(addresses: SavedAddress[]): Promise<void> {
    const load = store.load();
    backend.expectOne('/api/users/me/addresses').flush(addresses);
    await load;
  }

  it('prefers the default shipping address for checkout, else the first', async () => {
    await loaded([HOME, WORK]);
    expect(store.preferred()?.id).toBe('a-2');
    await loaded([HOME]);
    expect(store.preferred()?.id).toBe('a-1');
    await loaded([]);
    expect(store.preferred()).toBeNull();
  });

  it('saves an address and reloads the book', async () => {
    const added = store.add({ street: '1 Home St', city: 'Boston', zipCode: '02108', isDefaultShipping: false });
    const call = backend.expectOne((request) => request.method === 'POST' && request.url === '/api/users/me/addresses');
    expect(call.request.body.street).toBe('1 Home St');
    call.flush(HOME, { status: 201, statusText: 'Created' });
    await new Promise((resolve) => setTimeout(resolve));
    backend.expectOne((request) => request.method === 'GET').flush([HOME]);
    expect(await added).toBeTrue();
    expect(store.addresses()).toEqual({ status: 'ready', value: [HOME] });
  });

  it('keeps the API\'s messages by field when an address is refused', async () => {
    const added = store.add({ street: '1 Home St', city: 'Boston', zipCode: '' });
    backend.expectOne('/api/users/me/addresses').flush(
      { status: 422, title: 'Unprocessable Entity', detail: 'Invalid input.', errors: { zipCode: ['Shorter than minimum length 1.'] } },
      { status: 422, statusText: 'Unprocessable Entity' });
    expect(await added).toBeFalse();
    expect(store.fieldErrors()).toEqual({ zipCode: 'Shorter than minimum length 1.' });
    expect(store.busy()).toBeFalse();
  });
});
