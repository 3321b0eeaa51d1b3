import { Routes } from '@angular/router';
import { signedInGuard } from '../core/auth/guards';
import { CheckoutPage } from './checkout.page';
import { OrderReturnPage } from './order-return.page';

export const CHECKOUT_ROUTES: Routes = [
  { path: '', component: CheckoutPage, canActivate: [signedInGuard], title: 'Checkout' },
  { path: 'return/:orderId', component: OrderReturnPage, canActivate: [signedInGuard], title: 'Order placed' },
];
