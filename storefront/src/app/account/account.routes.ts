import { Routes } from '@angular/router';
import { signedInGuard } from '../core/auth/guards';
import { AddressesPage } from './addresses.page';
import { EmailLinkPage } from './email-link.page';
import { ForgotPasswordPage } from './forgot-password.page';
import { OrderPage } from './order.page';
import { OrdersPage } from './orders.page';
import { ProfilePage } from './profile.page';
import { ResetPasswordPage } from './reset-password.page';
import { SignInPage } from './sign-in.page';

export const ACCOUNT_ROUTES: Routes = [
  { path: 'sign-in', component: SignInPage, title: 'Sign in' },
  { path: 'register', component: SignInPage, data: { mode: 'register' }, title: 'Create an account' },
  // the pages of the mailed links (their paths are in kernel/identity/mails.py)
  { path: 'forgot-password', component: ForgotPasswordPage, title: 'Forgot your password?' },
  { path: 'reset-password', component: ResetPasswordPage, title: 'Choose a new password' },
  { path: 'verify-email', component: EmailLinkPage, data: { mode: 'verify' }, title: 'Verify your email address' },
  { path: 'confirm-email', component: EmailLinkPage, data: { mode: 'change' }, title: 'Confirm your new email address' },
  { path: 'profile', component: ProfilePage, canActivate: [signedInGuard], title: 'My account' },
  { path: 'addresses', component: AddressesPage, canActivate: [signedInGuard], title: 'My addresses' },
  { path: 'orders', component: OrdersPage, canActivate: [signedInGuard], title: 'My orders' },
  { path: 'orders/:orderId', component: OrderPage, canActivate: [signedInGuard], title: 'Order' },
  { path: '', pathMatch: 'full', redirectTo: 'orders' },
];
