/** The console's pages: each shows only when the site enables its plugin and the user holds its permission. */
export interface ConsolePage {
  path: string;
  label: string;
  /** The plugin the page belongs to; null for the kernel's own pages. */
  plugin: string | null;
  permission: string;
}

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { path: 'dashboard', label: 'Dashboard', plugin: null, permission: 'console:open' },
  { path: 'orders', label: 'Orders', plugin: 'orders', permission: 'orders:manage' },
  { path: 'products', label: 'Products', plugin: 'catalog', permission: 'catalog:write' },
  { path: 'categories', label: 'Categories', plugin: 'catalog', permission: 'catalog:write' },
  { path: 'promotions', label: 'Promotions', plugin: 'promotions', permission: 'promotions:manage' },
  { path: 'shipping', label: 'Shipping', plugin: 'shipping', permission: 'shipping:read' },
  { path: 'tax', label: 'Tax', plugin: 'tax', permission: 'tax:read' },
  { path: 'webhooks', label: 'Webhooks', plugin: 'webhooks', permission: 'webhooks:manage' },
  { path: 'jobs', label: 'Jobs', plugin: null, permission: 'jobs:read' },
  { path: 'users', label: 'Customers and staff', plugin: null, permission: 'users:manage' },
];

export function pageAt(path: string): ConsolePage | undefined {
  return CONSOLE_PAGES.find((page) => page.path === path);
}
