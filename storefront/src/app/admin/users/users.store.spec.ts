import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import { UsersStore } from './users.store';

const ANN = { id: 'u1', email: 'ann@example.com', roles: ['customer'], isActive: true };

describe('UsersStore', () => {
  const api = {
    users: () => Promise.resolve({ items: [ANN], totalCount: 1, page: 1, pageSize: 50 }),
    setRole: (_id: string, role: string, held: boolean) =>
      Promise.resolve({ ...ANN, roles: held ? ['customer', role] : ['customer'] }),
    setUserActive: () => Promise.reject(new HttpErrorResponse({ status: 409, error: { detail: 'You cannot deactivate yourself.' } })),
  };

  beforeEach(() => TestBed.configureTestingModule({
    providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }],
  }));

  it('shows the account as the API answers after a role change', async () => {
    const store = TestBed.inject(UsersStore);
    await store.load({});
    await store.setRole(ANN, 'staff', true);
    const state = store.users();
    expect(state.status === 'ready' && state.value.items[0].roles).toEqual(['customer', 'staff']);
  });

  it("keeps the API's refusal beside the account it concerns", async () => {
    const store = TestBed.inject(UsersStore);
    await store.load({});
    await store.setActive(ANN, false);
    expect(store.refusals()).toEqual({ u1: 'You cannot deactivate yourself.' });
  });
});
