/** Names for the generated OpenAPI schemas (schema.d.ts is generated: never edit it by hand). */
import type { components, paths } from './schema';

type Schemas = components['schemas'];
export type Product = Schemas['CatalogProduct'];
export type ProductDetail = Schemas['CatalogProductDetail'];
export type ProductPage = Schemas['CatalogProductPage'];
export type CategoryNode = Schemas['CatalogCategoryNode'];
export type Review = Schemas['CatalogReview'];
export type ReviewPage = Schemas['CatalogReviewPage'];
export type ReviewIn = Schemas['CatalogReviewIn'];
export type Variant = Schemas['CatalogVariant'];
export type Cart = Schemas['Cart'];
export type CartLine = Schemas['CartLine'];
export type CartItemAdd = Schemas['CartItemAdd'];
export type PlaceOrder = Schemas['PlaceOrder'];
export type OrderAddress = Schemas['OrderAddress'];
export type OrderDetail = Schemas['OrderDetail'];
export type OrderPage = Schemas['OrderPage'];
export type OrderSummary = Schemas['OrderSummary'];
export type PaymentStarted = Schemas['PaymentStarted'];
export type PaymentMethod = PlaceOrder['paymentMethod'];
export type TokenPair = Schemas['TokenPair'];
export type CurrentUser = Schemas['CurrentUser'];
export type RegisterUser = Schemas['RegisterUser'];
export type Login = Schemas['Login'];
export type Problem = Schemas['Problem'];
export type ProductQuery = NonNullable<paths['/api/products']['get']['parameters']['query']>;
export type ProductSort = NonNullable<ProductQuery['sort']>;
