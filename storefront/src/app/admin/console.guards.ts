import { inject } from '@angular/core';
import { CanActivateFn, CanMatchFn, Router } from '@angular/router';
import { TokenStore } from '../core/auth/token.store';
import { ConsoleStore } from './console.store';
import { pageAt } from './console-pages';

/** ``/admin``: a guest signs in first; a signed-in user the API does not let into the console
 *  (a customer) is sent to the shop's home page. Asked on every entry, so it follows sign-in changes. */
export const consoleGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  if (!inject(TokenStore).signedIn()) {
    return router.createUrlTree(['/account/sign-in'], { queryParams: { returnUrl: state.url } });
  }
  return (await inject(ConsoleStore).load()) ? true : router.createUrlTree(['/']);
};

/** A console page matches only when the site enables its plugin and the user may use it;
 *  otherwise the URL falls through to the console's "not here" page. */
export const consolePageGuard: CanMatchFn = (route) => {
  const page = pageAt(route.path ?? '');
  return !!page && inject(ConsoleStore).shows(page);
};
