import { HttpErrorResponse, HttpEvent, HttpInterceptorFn, HttpRequest, HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, tap, throwError } from 'rxjs';
import { CartTokenStore } from '../cart-token.store';
import { WITHOUT_REFRESH } from './auth.context';
import { SessionRefresher } from './session.refresher';
import { TokenStore } from './token.store';

/** Adds the bearer token and the guest cart token to API calls, keeps a cart token the API
 *  hands out, and on a 401 refreshes the session once and retries the call. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/')) return next(request);
  const tokens = inject(TokenStore);
  const cart = inject(CartTokenStore);
  const refresher = inject(SessionRefresher);
  const withHeaders = (req: HttpRequest<unknown>) => {
    const headers: Record<string, string> = {};
    const access = tokens.accessToken();
    const cartToken = cart.token();
    if (access) headers['Authorization'] = `Bearer ${access}`;
    if (cartToken) headers['X-Cart-Token'] = cartToken;
    return req.clone({ setHeaders: headers });
  };
  const keepCartToken = tap((event: HttpEvent<unknown>) => {
    const given = event instanceof HttpResponse ? event.headers.get('X-Cart-Token') : null;
    if (given) cart.set(given);
  });
  const hadToken = tokens.accessToken() !== null;
  return next(withHeaders(request)).pipe(
    keepCartToken,
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401 || !hadToken
          || request.context.get(WITHOUT_REFRESH)) {
        return throwError(() => error);
      }
      return from(refresher.refresh()).pipe(
        switchMap((renewed) => (renewed ? next(withHeaders(request)).pipe(keepCartToken) : throwError(() => error))),
      );
    }),
  );
};
