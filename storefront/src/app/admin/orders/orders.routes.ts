import { Routes } from '@angular/router';
import { OrderPage } from './order.page';
import { OrdersPage } from './orders.page';

export const ORDERS_ROUTES: Routes = [
  { path: '', component: OrdersPage, title: 'Orders' },
  { path: ':orderId', component: OrderPage, title: 'Order' },
];
