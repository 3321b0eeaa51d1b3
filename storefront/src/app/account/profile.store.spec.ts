import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { TokenStore } from '../core/auth/token.store';
import { ProfileStore } from './profile.store';

describe('ProfileStore', () => {
  let store: ProfileStore;
  let tokens: TokenStore;
  let backend: HttpTestingController;
  const ada = { id: 'u1', email: 'ada@example.com', firstName: 'Ada', lastName: null, emailVerified: false };
  const refuse = (status: number, detail: string, errors?: Record<string, string[]>) =>
    [{ status, title: 'Refused', detail, ...(errors ? { errors } : {}) }, { status, statusText: 'Refused' }] as const;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(withInterceptors([authInterceptor])),
                  provideHttpClientTesting(), ProfileStore],
    });
    store = TestBed.inject(ProfileStore);
    tokens = TestBed.inject(TokenStore);
    tokens.set('old-access');
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('loads the account, then saves the names (an emptied one cleared) and shows the answer', async () => {
    const loaded = store.load();
    backend.expectOne('/api/users/me').flush(ada);
    await loaded;
    expect(store.user()).toEqual({ status: 'ready', value: ada });
    const saved = store.saveName('Augusta Ada', '');
    const call = backend.expectOne((request) => request.method === 'PATCH' && request.url === '/api/users/me');
    expect(call.request.body).toEqual({ firstName: 'Augusta Ada', lastName: null });
    call.flush({ ...ada, firstName: 'Augusta Ada' });
    expect(await saved).toBeTrue();
    expect(store.user()).toEqual({ status: 'ready', value: { ...ada, firstName: 'Augusta Ada' } });
    expect(store.name.done()).toBe('Your name is saved.');
  });

  it('a failed load is an error state', async () => {
    const loaded = store.load();
    backend.expectOne('/api/users/me').flush(...refuse(503, 'The shop is busy.'));
    await loaded;
    expect(store.user()).toEqual({ status: 'error', message: 'The shop is busy.' });
  });

  it('sends the verification link again, and says plainly when it may not (409, 429)', async () => {
    let sent = store.resendVerification();
    backend.expectOne('/api/auth/email/resend').flush({ detail: 'A link is on its way.' },
                                                      { status: 202, statusText: 'Accepted' });
    expect(await sent).toBeTrue();
    expect(store.verification.done()).toBe('A link is on its way.');
    sent = store.resendVerification();
    backend.expectOne('/api/auth/email/resend').flush(...refuse(409, 'Your email address is already verified.'));
    expect(await sent).toBeFalse();
    expect(store.verification.error()).toBe('Your email address is already verified.');
    expect(store.verification.done()).toBeNull();
    sent = store.resendVerification();
    backend.expectOne('/api/auth/email/resend').flush(...refuse(429, 'Too many requests: try again later.'));
    await sent;
    expect(store.verification.error()).toBe('Too many requests: try again later.');
  });

  it('asks for an email change and puts a taken address beside newEmail', async () => {
    let asked = store.changeEmail('ada@new.example', 'secret passphrase');
    let call = backend.expectOne('/api/users/me/email');
    expect(call.request.body).toEqual({ newEmail: 'ada@new.example', password: 'secret passphrase' });
    call.flush({ detail: 'A link to confirm the new address is on its way to it.' },
               { status: 202, statusText: 'Accepted' });
    expect(await asked).toBeTrue();
    expect(store.email.done()).toContain('on its way');
    asked = store.changeEmail('bob@example.com', 'secret passphrase');
    call = backend.expectOne('/api/users/me/email');
    call.flush(...refuse(409, 'A user with this email already exists.', { newEmail: ['Already registered.'] }));
    expect(await asked).toBeFalse();
    expect(store.email.fieldErrors()).toEqual({ newEmail: 'Already registered.' });
    expect(store.email.done()).toBeNull();
  });

  it('refuses two new passwords that differ without asking the API', async () => {
    expect(await store.changePassword('old one', 'a new passphrase', 'a new passphrase!')).toBeFalse();
    backend.expectNone('/api/users/me/password');
    expect(store.password.fieldErrors()).toEqual({ confirmPassword: 'The two new passwords differ.' });
  });

  it('puts the API\'s refusal of a password beside its field', async () => {
    const changed = store.changePassword('wrong', 'a new passphrase', 'a new passphrase');
    backend.expectOne('/api/users/me/password')
      .flush(...refuse(422, 'The current password is wrong.', { currentPassword: ['Wrong password.'] }));
    expect(await changed).toBeFalse();
    expect(store.password.fieldErrors()).toEqual({ currentPassword: 'Wrong password.' });
    expect(store.password.error()).toBe('The current password is wrong.');
    expect(tokens.accessToken()).toBe('old-access');
  });

  it('after a password change the session goes on with the new access token (the answer set the new cookie)', async () => {
    const changed = store.changePassword('old passphrase', 'a new passphrase', 'a new passphrase');
    const call = backend.expectOne('/api/users/me/password');
    expect(call.request.headers.get('Authorization')).toBe('Bearer old-access');
    expect(call.request.body).toEqual({ currentPassword: 'old passphrase', newPassword: 'a new passphrase' });
    call.flush({ accessToken: 'new-access', refreshToken: 'new-refresh', tokenType: 'Bearer', expiresIn: 900 });
    expect(await changed).toBeTrue();
    expect(tokens.accessToken()).toBe('new-access');
    backend.expectNone('/api/users/refresh');  // the refresh token stays in the cookie, never sent from here
    expect(store.password.done()).toBe('Your password is changed; you stay signed in.');
    expect(JSON.stringify({ ...localStorage })).not.toContain('refresh');
  });
});
