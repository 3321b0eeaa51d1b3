import { Routes } from '@angular/router';
import { signedInGuard } from '../core/auth/guards';
import { OrderPage } from './order.page';
import { OrdersPage } from './orders.page';
import { SignInPage } from './sign-in.page';

export const ACCOUNT_ROUTES: Routes = [
  { path: 'sign-in', component: SignInPage, title: 'Sign in' },
  { path: 'register', component: SignInPage, data: { mode: 'register' }, title: 'Create an account' },
  { path: 'orders', component: OrdersPage, canActivate: [signedInGuard], title: 'My orders' },
  { path: 'orders/:orderId', component: OrderPage, canActivate: [signedInGuard], title: 'Order' },
  { path: '', pathMatch: 'full', redirectTo: 'orders' },
];
