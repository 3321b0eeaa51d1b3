import { Routes } from '@angular/router';
import { CartPage } from './cart.page';

export const CART_ROUTES: Routes = [{ path: '', component: CartPage, title: 'Cart' }];
