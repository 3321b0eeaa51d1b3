import { inject } from '@angular/core';
import { CanMatchFn, Router } from '@angular/router';
import { TokenStore } from '../core/auth/token.store';
import { ConsoleStore } from './console.store';
import { pageAt } from './console-pages';

/** ``/admin``: a guest signs in first; a signed-in user the API does not let into the console
 *  (a customer) is sent to the shop's home page. A ``canMatch`` guard, so the site is known
 *  before the pages below are matched. */
export const consoleGuard: CanMatchFn = async (_route, segments) => {
  const router = inject(Router);
  if (!inject(TokenStore).signedIn()) {
    const returnUrl = ['/admin', ...segments.map((segment) => segment.path)].join('/');
    return router.createUrlTree(['/account/sign-in'], { queryParams: { returnUrl } });
  }
  return (await inject(ConsoleStore).load()) ? true : router.createUrlTree(['/']);
};

/** A console page matches only when the site enables its plugin and the user may use it;
 *  otherwise the URL falls through to the console's "not here" page. */
export const consolePageGuard: CanMatchFn = (route) => {
  const page = pageAt(route.path ?? '');
  return !!page && inject(ConsoleStore).shows(page);
};
