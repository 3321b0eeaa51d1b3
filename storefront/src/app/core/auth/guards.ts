import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { TokenStore } from './token.store';

/** Account and checkout pages: a guest goes to sign-in first and comes back afterwards. */
export const signedInGuard: CanActivateFn = (_route, state) => {
  if (inject(TokenStore).signedIn()) return true;
  return inject(Router).createUrlTree(['/account/sign-in'], { queryParams: { returnUrl: state.url } });
};
