import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ActivatedRouteSnapshot, Router, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { signedInGuard } from './guards';
import { TokenStore } from './token.store';

describe('signedInGuard', () => {
  const run = (url: string) => TestBed.runInInjectionContext(
    () => signedInGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot));

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), provideRouter([])] });
  });

  it('sends a guest to sign-in and back to where they were going', () => {
    const result = run('/checkout') as UrlTree;
    expect(TestBed.inject(Router).serializeUrl(result)).toBe('/account/sign-in?returnUrl=%2Fcheckout');
  });

  it('lets a signed-in shopper through', () => {
    TestBed.inject(TokenStore).set('token');
    expect(run('/account/orders')).toBeTrue();
  });
});
