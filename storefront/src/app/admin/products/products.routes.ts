import { Routes } from '@angular/router';
import { ProductPage } from './product.page';
import { ProductsPage } from './products.page';

export const PRODUCTS_ROUTES: Routes = [
  { path: '', component: ProductsPage, title: 'Products' },
  { path: ':ref', component: ProductPage, title: 'Product' },
];
