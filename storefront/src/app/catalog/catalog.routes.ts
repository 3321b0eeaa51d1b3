import { Routes } from '@angular/router';
import { HomePage } from './home.page';
import { ListingPage } from './listing.page';
import { ProductPage } from './product.page';

export const CATALOG_ROUTES: Routes = [
  { path: '', component: HomePage, title: 'Shop' },
  { path: 'products', component: ListingPage, title: 'Products' },
  { path: 'products/:ref', component: ProductPage, title: 'Product' },
];
