import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { CartTokenStore } from '../cart-token.store';
import { authInterceptor } from './auth.interceptor';
import { TokenStore } from './token.store';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let tokens: TokenStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(withInterceptors([authInterceptor])),
                  provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    tokens = TestBed.inject(TokenStore);
  });

  afterEach(() => backend.verify());

  it('sends the bearer token and the cart token on API calls only', async () => {
    tokens.set('access-1');
    TestBed.inject(CartTokenStore).set('cart-1');
    const api = firstValueFrom(http.get('/api/cart'));
    const call = backend.expectOne('/api/cart');
    expect(call.request.headers.get('Authorization')).toBe('Bearer access-1');
    expect(call.request.headers.get('X-Cart-Token')).toBe('cart-1');
    call.flush({});
    await api;
    const other = firstValueFrom(http.get('/favicon.svg', { responseType: 'text' }));
    const asset = backend.expectOne('/favicon.svg');
    expect(asset.request.headers.has('Authorization')).toBeFalse();
    asset.flush('');
    await other;
  });

  it('keeps the cart token a guest is given', async () => {
    const added = firstValueFrom(http.post('/api/cart/items', {}));
    backend.expectOne('/api/cart/items').flush({}, { headers: { 'X-Cart-Token': 'guest-cart' } });
    await added;
    expect(TestBed.inject(CartTokenStore).token()).toBe('guest-cart');
    expect(localStorage.getItem('commerce.cartToken')).toBe('guest-cart');
  });

  it('refreshes once for concurrent 401s and retries each call with the new token', async () => {
    tokens.set('expired');
    const first = firstValueFrom(http.get('/api/orders'));
    const second = firstValueFrom(http.get('/api/users/me'));
    backend.expectOne('/api/orders').flush({}, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/users/me').flush({}, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    const refresh = backend.expectOne('/api/users/refresh');  // one, not two: a refresh token works once
    refresh.flush({ accessToken: 'fresh', refreshToken: 'r2', tokenType: 'Bearer', expiresIn: 900 });
    await new Promise((resolve) => setTimeout(resolve));
    const retried = [backend.expectOne('/api/orders'), backend.expectOne('/api/users/me')];
    for (const call of retried) {
      expect(call.request.headers.get('Authorization')).toBe('Bearer fresh');
      call.flush({ ok: true });
    }
    expect(await first).toEqual({ ok: true });
    expect(await second).toEqual({ ok: true });
  });

  it('signs out and passes the 401 on when the refresh is refused', async () => {
    tokens.set('expired');
    const call = firstValueFrom(http.get('/api/orders')).catch((error) => error.status);
    backend.expectOne('/api/orders').flush({}, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    backend.expectOne('/api/users/refresh').flush({}, { status: 401, statusText: 'Unauthorized' });
    expect(await call).toBe(401);
    expect(tokens.signedIn()).toBeFalse();
  });

  it('does not refresh for a guest', async () => {
    const call = firstValueFrom(http.get('/api/orders')).catch((error) => error.status);
    backend.expectOne('/api/orders').flush({}, { status: 401, statusText: 'Unauthorized' });
    expect(await call).toBe(401);
    backend.expectNone('/api/users/refresh');
  });
});
