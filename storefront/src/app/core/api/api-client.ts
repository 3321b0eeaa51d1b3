/**
 * The one place that talks HTTP to the commerce API, typed by the generated OpenAPI schema.
 * Stores call it; components never do (tests/storefront checks that).
 */
import { HttpClient, HttpContext, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type {
  Accepted, AddressBookEntry, Cart, CartDestination, CartItemAdd, CategoryNode, CurrentUser, EmailChange, Login,
  OrderDetail, OrderPage, PasswordChange, PaymentStarted, PlaceOrder, ProductDetail, ProductPage, ProductQuery,
  ProfileUpdate, RegisterUser, Review, ReviewIn, ReviewPage, SavedAddress, TokenPair,
} from './api.types';
import { WITHOUT_REFRESH } from '../auth/auth.context';
import { params } from './query-params';

const API = '/api';

/**
 * The catalog's read URLs, query included: the client's calls and the landing page's preloads
 * (`catalog/landing-preload.ts`) are built here alike, so the browser answers a call from its preload.
 */
export const catalogUrls = {
  categories: (): string => `${API}/categories`,
  products: (query: ProductQuery): string => withQuery(`${API}/products`, query),
  product: (ref: string): string => `${API}/products/${encodeURIComponent(ref)}`,
  reviews: (ref: string, page = 1): string =>
    withQuery(`${API}/products/${encodeURIComponent(ref)}/reviews`, { page, pageSize: 10 }),
};

function withQuery(path: string, query: object): string {
  const search = params(query).toString();
  return search ? `${path}?${search}` : path;
}

@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);
  private readonly authCall = { context: new HttpContext().set(WITHOUT_REFRESH, true) };

  categories(): Promise<CategoryNode[]> {
    return firstValueFrom(this.http.get<CategoryNode[]>(catalogUrls.categories()));
  }
  products(query: ProductQuery): Promise<ProductPage> {
    return firstValueFrom(this.http.get<ProductPage>(catalogUrls.products(query)));
  }
  product(ref: string): Promise<ProductDetail> {
    return firstValueFrom(this.http.get<ProductDetail>(catalogUrls.product(ref)));
  }
  reviews(ref: string, page = 1): Promise<ReviewPage> {
    return firstValueFrom(this.http.get<ReviewPage>(catalogUrls.reviews(ref, page)));
  }
  writeReview(ref: string, review: ReviewIn): Promise<Review> {
    return firstValueFrom(this.http.post<Review>(`${API}/products/${encodeURIComponent(ref)}/reviews`, review));
  }

  cart(): Promise<Cart> {
    return firstValueFrom(this.http.get<Cart>(`${API}/cart`));
  }
  addToCart(item: CartItemAdd): Promise<Cart> {
    return firstValueFrom(this.http.post<Cart>(`${API}/cart/items`, item));
  }
  setQuantity(variantId: string, quantity: number): Promise<Cart> {
    return firstValueFrom(this.http.patch<Cart>(`${API}/cart/items/${variantId}`, { quantity }));
  }
  removeFromCart(variantId: string): Promise<Cart> {
    return firstValueFrom(this.http.delete<Cart>(`${API}/cart/items/${variantId}`));
  }
  applyCoupon(code: string): Promise<Cart> {
    return firstValueFrom(this.http.post<Cart>(`${API}/cart/coupon`, { code }));
  }
  removeCoupon(): Promise<Cart> {
    return firstValueFrom(this.http.delete<Cart>(`${API}/cart/coupon`));
  }
  /** Where the cart ships to (and how): the answer prices shipping and tax and lists the methods. */
  setDestination(destination: CartDestination): Promise<Cart> {
    return firstValueFrom(this.http.put<Cart>(`${API}/cart/destination`, destination));
  }

  placeOrder(order: PlaceOrder, idempotencyKey: string): Promise<OrderDetail> {
    return firstValueFrom(this.http.post<OrderDetail>(`${API}/orders`, order,
      { headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }) }));
  }
  startPayment(orderId: string, returnUrl: string): Promise<PaymentStarted> {
    return firstValueFrom(this.http.post<PaymentStarted>(`${API}/orders/${orderId}/payments`,
      { returnUrl, cancelUrl: returnUrl }));
  }
  orders(page = 1): Promise<OrderPage> {
    return firstValueFrom(this.http.get<OrderPage>(`${API}/orders`, { params: params({ page, pageSize: 10 }) }));
  }
  order(orderId: string): Promise<OrderDetail> {
    return firstValueFrom(this.http.get<OrderDetail>(`${API}/orders/${orderId}`));
  }
  cancelOrder(orderId: string, idempotencyKey: string): Promise<OrderDetail> {
    return firstValueFrom(this.http.post<OrderDetail>(`${API}/orders/${orderId}/cancel`, {},
      { headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }) }));
  }

  register(account: RegisterUser): Promise<unknown> {
    return firstValueFrom(this.http.post(`${API}/users/register`, account, this.authCall));
  }
  login(credentials: Login): Promise<TokenPair> {
    return firstValueFrom(this.http.post<TokenPair>(`${API}/users/login`, credentials, this.authCall));
  }
  /** The refresh token travels in its HttpOnly cookie; the body stays empty. */
  refresh(): Promise<TokenPair> {
    return firstValueFrom(this.http.post<TokenPair>(`${API}/users/refresh`, {}, this.authCall));
  }
  logout(): Promise<unknown> {
    return firstValueFrom(this.http.post(`${API}/users/logout`, {}, this.authCall));
  }
  me(): Promise<CurrentUser> {
    return firstValueFrom(this.http.get<CurrentUser>(`${API}/users/me`));
  }
  updateProfile(names: ProfileUpdate): Promise<CurrentUser> {
    return firstValueFrom(this.http.patch<CurrentUser>(`${API}/users/me`, names));
  }
  /** Every earlier token of the account is revoked: the answer's pair is the session's from now on. */
  changePassword(change: PasswordChange): Promise<TokenPair> {
    return firstValueFrom(this.http.post<TokenPair>(`${API}/users/me/password`, change));
  }
  changeEmail(change: EmailChange): Promise<Accepted> {
    return firstValueFrom(this.http.post<Accepted>(`${API}/users/me/email`, change));
  }

  forgotPassword(email: string): Promise<Accepted> {
    return firstValueFrom(this.http.post<Accepted>(`${API}/auth/password/forgot`, { email }, this.authCall));
  }
  resetPassword(token: string, password: string): Promise<unknown> {
    return firstValueFrom(this.http.post(`${API}/auth/password/reset`, { token, password }, this.authCall));
  }
  /** ``change``: the token of an email-change link, else of a verification link. */
  confirmEmail(token: string, change: boolean): Promise<CurrentUser> {
    const path = change ? 'auth/email/change/confirm' : 'auth/email/verify';
    return firstValueFrom(this.http.post<CurrentUser>(`${API}/${path}`, { token }, this.authCall));
  }
  resendVerification(): Promise<Accepted> {
    return firstValueFrom(this.http.post<Accepted>(`${API}/auth/email/resend`, {}));
  }

  addresses(): Promise<SavedAddress[]> {
    return firstValueFrom(this.http.get<SavedAddress[]>(`${API}/users/me/addresses`));
  }
  addAddress(address: AddressBookEntry): Promise<SavedAddress> {
    return firstValueFrom(this.http.post<SavedAddress>(`${API}/users/me/addresses`, address));
  }
  deleteAddress(addressId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${API}/users/me/addresses/${addressId}`));
  }
}
