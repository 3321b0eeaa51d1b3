import { Routes } from '@angular/router';
import { CATALOG_ROUTES } from './catalog/catalog.routes';

/** Each feature is its own lazily loaded chunk, but the catalog: a shopper lands on its pages, so they ship
 *  in the initial bundle and draw without a further round trip for their code (decision 0039). */
export const ROUTES: Routes = [
  { path: 'cart', loadChildren: () => import('./cart/cart.routes').then((m) => m.CART_ROUTES) },
  { path: 'checkout', loadChildren: () => import('./checkout/checkout.routes').then((m) => m.CHECKOUT_ROUTES) },
  { path: 'account', loadChildren: () => import('./account/account.routes').then((m) => m.ACCOUNT_ROUTES) },
  { path: 'admin', loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES) },
  { path: '', children: CATALOG_ROUTES },
  { path: '**', loadComponent: () => import('./shared/not-found.page').then((m) => m.NotFoundPage), title: 'Not found' },
];
