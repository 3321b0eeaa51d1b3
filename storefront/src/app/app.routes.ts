import { Routes } from '@angular/router';

/** Each feature is its own lazily loaded chunk. */
export const ROUTES: Routes = [
  { path: 'cart', loadChildren: () => import('./cart/cart.routes').then((m) => m.CART_ROUTES) },
  { path: 'checkout', loadChildren: () => import('./checkout/checkout.routes').then((m) => m.CHECKOUT_ROUTES) },
  { path: 'account', loadChildren: () => import('./account/account.routes').then((m) => m.ACCOUNT_ROUTES) },
  { path: 'admin', loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES) },
  { path: '', loadChildren: () => import('./catalog/catalog.routes').then((m) => m.CATALOG_ROUTES) },
  { path: '**', loadComponent: () => import('./shared/not-found.page').then((m) => m.NotFoundPage), title: 'Not found' },
];
