import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { RecoveryStore } from './recovery.store';

describe('RecoveryStore', () => {
  let store: RecoveryStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), RecoveryStore],
    });
    store = TestBed.inject(RecoveryStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('asks for a reset link and shows the API\'s answer, the same for every address', async () => {
    const asked = store.forgot('ada@example.com');
    const call = backend.expectOne('/api/auth/password/forgot');
    expect(call.request.body).toEqual({ email: 'ada@example.com' });
    call.flush({ detail: 'If an account uses this address, a link is on its way.' }, { status: 202, statusText: 'Accepted' });
    await asked;
    expect(store.done()).toBe('If an account uses this address, a link is on its way.');
    expect(store.busy()).toBeFalse();
  });

  it('puts a refused password beside its field and keeps the form open', async () => {
    const reset = store.reset('tok', 'short');
    const call = backend.expectOne('/api/auth/password/reset');
    expect(call.request.body).toEqual({ token: 'tok', password: 'short' });
    call.flush({ status: 422, title: 'Unprocessable Entity', detail: 'The password is not acceptable.',
                 errors: { password: ['Use at least 10 characters.'] } },
               { status: 422, statusText: 'Unprocessable Entity' });
    await reset;
    expect(store.fieldErrors()).toEqual({ password: 'Use at least 10 characters.' });
    expect(store.error()).toBe('The password is not acceptable.');
    expect(store.done()).toBeNull();
  });

  it('opens a verification link and an email-change link at their own endpoints', async () => {
    const verified = store.confirmEmail('v-tok', false);
    backend.expectOne('/api/auth/email/verify').flush({ email: 'ada@example.com', emailVerified: true });
    await verified;
    expect(store.done()).toBe('ada@example.com is verified.');
    const changed = store.confirmEmail('c-tok', true);
    const call = backend.expectOne('/api/auth/email/change/confirm');
    expect(call.request.body).toEqual({ token: 'c-tok' });
    call.flush({ status: 422, title: 'Unprocessable Entity', detail: 'This link has expired; ask for a new one.',
                 errors: { token: ['This link has expired; ask for a new one.'] } },
               { status: 422, statusText: 'Unprocessable Entity' });
    await changed;
    expect(store.error()).toBe('This link has expired; ask for a new one.');
    expect(store.fieldErrors()['token']).toContain('expired');
  });
});
