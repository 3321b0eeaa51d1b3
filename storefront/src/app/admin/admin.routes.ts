import { Routes } from '@angular/router';
import { ConsoleShell } from './console.shell';
import { consoleGuard, consolePageGuard } from './console.guards';

/** The staff console: one lazily loaded area (its own chunks), entered only with the API's consent. */
export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    component: ConsoleShell,
    canMatch: [consoleGuard],
    children: [
      { path: 'dashboard', canMatch: [consolePageGuard], title: 'Dashboard',
        loadComponent: () => import('./dashboard/dashboard.page').then((m) => m.DashboardPage) },
      { path: 'orders', canMatch: [consolePageGuard],
        loadChildren: () => import('./orders/orders.routes').then((m) => m.ORDERS_ROUTES) },
      { path: 'products', canMatch: [consolePageGuard],
        loadChildren: () => import('./products/products.routes').then((m) => m.PRODUCTS_ROUTES) },
      { path: 'categories', canMatch: [consolePageGuard], title: 'Categories',
        loadComponent: () => import('./categories/categories.page').then((m) => m.CategoriesPage) },
      { path: 'promotions', canMatch: [consolePageGuard], title: 'Promotions',
        loadComponent: () => import('./promotions/promotions.page').then((m) => m.PromotionsPage) },
      { path: 'shipping', canMatch: [consolePageGuard], title: 'Shipping',
        loadComponent: () => import('./settings/shipping.page').then((m) => m.ShippingPage) },
      { path: 'tax', canMatch: [consolePageGuard], title: 'Tax',
        loadComponent: () => import('./settings/tax.page').then((m) => m.TaxPage) },
      { path: 'webhooks', canMatch: [consolePageGuard], title: 'Webhooks',
        loadComponent: () => import('./webhooks/webhooks.page').then((m) => m.WebhooksPage) },
      { path: 'jobs', canMatch: [consolePageGuard], title: 'Jobs',
        loadComponent: () => import('./jobs/jobs.page').then((m) => m.JobsPage) },
      { path: 'users', canMatch: [consolePageGuard], title: 'Customers and staff',
        loadComponent: () => import('./users/users.page').then((m) => m.UsersPage) },
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      { path: '**', title: 'Not here', loadComponent: () => import('./not-here.page').then((m) => m.NotHerePage) },
    ],
  },
];
