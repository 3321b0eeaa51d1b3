import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';
import { TokenStore } from './token.store';

describe('AuthStore', () => {
  let store: AuthStore;
  let backend: HttpTestingController;
  const settle = () => new Promise((resolve) => setTimeout(resolve));

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(withInterceptors([authInterceptor])),
                  provideHttpClientTesting()],
    });
    store = TestBed.inject(AuthStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('a new visitor costs no refresh call on start-up', async () => {
    await store.restore();
    backend.expectNone('/api/users/refresh');
    expect(store.signedIn()).toBeFalse();
  });

  it('after a reload, the refresh cookie brings the session back; the token stays in memory', async () => {
    localStorage.setItem('commerce.signedIn', '1');
    const restored = store.restore();
    const refresh = backend.expectOne('/api/users/refresh');
    expect(refresh.request.body).toEqual({});  // the refresh token travels in its HttpOnly cookie
    refresh.flush({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 });
    await settle();
    const me = backend.expectOne('/api/users/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer a1');
    me.flush({ email: 'ann@example.com' });
    await restored;
    expect(store.user()?.email).toBe('ann@example.com');
    expect(JSON.stringify({ ...localStorage })).not.toContain('a1');
    expect(JSON.stringify({ ...localStorage })).not.toContain('r1');
  });

  it('signing out forgets the token even when the API call fails', async () => {
    TestBed.inject(TokenStore).set('a1');
    const out = store.signOut().catch(() => undefined);
    backend.expectOne('/api/users/logout').flush({}, { status: 503, statusText: 'Unavailable' });
    await out;
    expect(store.signedIn()).toBeFalse();
    expect(localStorage.getItem('commerce.signedIn')).toBeNull();
  });
});
