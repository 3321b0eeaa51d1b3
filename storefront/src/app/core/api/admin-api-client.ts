/**
 * The staff console's calls to the commerce API, typed by the generated OpenAPI schema.
 * Only the lazily loaded console imports it, so a shopper's browser never downloads it
 * (docs/decisions/0030-the-console-is-a-lazy-area-with-its-own-client.md). Stores call it;
 * components never do.
 */
import { HttpClient, HttpEvent, HttpEventType, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, filter, firstValueFrom, map } from 'rxjs';
import type {
  AdminUser, CategoryDetail, ImportRun, CategoryPatch, CategoryUpdate, ConsoleSite, Coupon, CouponChange, CouponIn, JobQuery,
  JobRunDetail, JobRunPage, JobStateCounts, OrderAction, PaymentRecord, ProductCreate, ProductImage, ProductPatch, ProductVariants,
  RefundOrder, ShippingConfiguration, StaffOrderDetail, StaffCategoryNode, StaffOrderPage, StaffOrderQuery, StaffProductQuery,
  StockAdjustment, StockMovement, TaxConfiguration, UserPage, UserQuery, WebhookDeliveryPage, WebhookEndpoint,
  WebhookEndpointCreate, WebhookEndpointCreated, WebhookEndpointUpdate, WebhookReplay,
} from './admin-api.types';
import type { ProductDetail, ProductPage } from './api.types';
import { params } from './query-params';

const API = '/api';
const ORDERS = `${API}/admin/orders`;
const PROMOTIONS = `${API}/admin/promotions`;
const WEBHOOKS = `${API}/admin/webhooks`;

/** Where an upload stands, without Angular's event types (stores stay free of ``@angular/common/http``). */
export type ImportProgress = { percent: number } | { run: ImportRun };

function progressOf(event: HttpEvent<ImportRun>): ImportProgress | null {
  if (event.type === HttpEventType.UploadProgress) {
    return { percent: event.total ? Math.round((100 * event.loaded) / event.total) : 0 };
  }
  return event.type === HttpEventType.Response && event.body ? { run: event.body } : null;
}

function product(ref: string): string {
  return `${API}/products/${encodeURIComponent(ref)}`;
}

function keyed(idempotencyKey: string): { headers: HttpHeaders } {
  return { headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }) };
}

@Injectable({ providedIn: 'root' })
export class AdminApiClient {
  private readonly http = inject(HttpClient);

  /** ``GET /api/events/stream`` as it arrives: the text received so far, growing with each
   *  chunk (a fetch with a streaming body, since an ``EventSource`` cannot send the token). */
  eventStream(lastEventId: string | null): Observable<string> {
    const headers = new HttpHeaders(lastEventId ? { 'Last-Event-ID': lastEventId } : {});
    return this.http.get(`${API}/events/stream`, { headers, observe: 'events', reportProgress: true, responseType: 'text' })
      .pipe(filter((event) => event.type === HttpEventType.DownloadProgress), map((event) => event.partialText ?? ''));
  }

  site(): Promise<ConsoleSite> {
    return firstValueFrom(this.http.get<ConsoleSite>(`${API}/admin/site`));
  }

  orders(query: StaffOrderQuery): Promise<StaffOrderPage> {
    return firstValueFrom(this.http.get<StaffOrderPage>(ORDERS, { params: params(query) }));
  }
  order(orderId: string): Promise<StaffOrderDetail> {
    return firstValueFrom(this.http.get<StaffOrderDetail>(`${ORDERS}/${orderId}`));
  }
  act(orderId: string, action: OrderAction, idempotencyKey: string): Promise<StaffOrderDetail> {
    return firstValueFrom(this.http.post<StaffOrderDetail>(`${ORDERS}/${orderId}/${action}`, {}, keyed(idempotencyKey)));
  }
  ship(orderId: string, trackingNumber: string, idempotencyKey: string): Promise<StaffOrderDetail> {
    return firstValueFrom(this.http.post<StaffOrderDetail>(`${ORDERS}/${orderId}/ship`, { trackingNumber },
      keyed(idempotencyKey)));
  }
  refund(orderId: string, refund: RefundOrder, idempotencyKey: string): Promise<StaffOrderDetail> {
    return firstValueFrom(this.http.post<StaffOrderDetail>(`${ORDERS}/${orderId}/refund`, refund,
      keyed(idempotencyKey)));
  }
  payments(orderId: string): Promise<PaymentRecord[]> {
    return firstValueFrom(this.http.get<PaymentRecord[]>(`${ORDERS}/${orderId}/payments`));
  }

  /** The staff listing: the shop's, inactive products too by ``status``. */
  products(query: StaffProductQuery): Promise<ProductPage> {
    return firstValueFrom(this.http.get<ProductPage>(`${API}/admin/products`, { params: params(query) }));
  }
  /** A product whatever its state, with inactive variants too. */
  product(ref: string): Promise<ProductDetail> {
    return firstValueFrom(this.http.get<ProductDetail>(`${API}/admin/products/${encodeURIComponent(ref)}`));
  }
  setVariants(ref: string, variants: ProductVariants): Promise<ProductDetail> {
    return firstValueFrom(this.http.put<ProductDetail>(`${product(ref)}/variants`, variants));
  }
  uploadImage(ref: string, file: File | null, alt: string, position: number): Promise<ProductImage> {
    const form = new FormData();
    if (file) form.append('file', file);
    form.append('alt', alt);
    form.append('position', String(position));
    return firstValueFrom(this.http.post<ProductImage>(`${product(ref)}/images`, form));
  }
  deleteImage(ref: string, imageId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${product(ref)}/images/${imageId}`));
  }
  createProduct(product: ProductCreate): Promise<ProductDetail> {
    return firstValueFrom(this.http.post<ProductDetail>(`${API}/products`, product));
  }
  updateProduct(ref: string, patch: ProductPatch): Promise<ProductDetail> {
    return firstValueFrom(this.http.patch<ProductDetail>(product(ref), patch));
  }
  adjustStock(ref: string, adjustment: StockAdjustment): Promise<ProductDetail> {
    return firstValueFrom(this.http.post<ProductDetail>(`${product(ref)}/stock`, adjustment));
  }

  /** Every category, inactive ones too, each with ``isActive``. */
  categories(): Promise<StaffCategoryNode[]> {
    return firstValueFrom(this.http.get<StaffCategoryNode[]>(`${API}/admin/categories`));
  }
  stockMovements(ref: string): Promise<StockMovement[]> {
    return firstValueFrom(this.http.get<StockMovement[]>(`${product(ref)}/stock`));
  }

  /** The share of the file sent so far (``{ percent }``), then the background import's ``{ run }``. */
  importProducts(file: File): Observable<ImportProgress> {
    const form = new FormData();
    form.append('file', file);
    return this.http.post<ImportRun>(`${API}/admin/imports/products`, form, { observe: 'events', reportProgress: true })
      .pipe(map(progressOf), filter((progress): progress is ImportProgress => progress !== null));
  }
  importRun(runId: string): Promise<ImportRun> {
    return firstValueFrom(this.http.get<ImportRun>(`${API}/admin/imports/products/${runId}`));
  }

  category(slug: string): Promise<CategoryDetail> {
    return firstValueFrom(this.http.get<CategoryDetail>(`${API}/categories/${encodeURIComponent(slug)}`));
  }
  createCategory(category: CategoryUpdate): Promise<CategoryDetail> {
    return firstValueFrom(this.http.post<CategoryDetail>(`${API}/categories`, category));
  }
  updateCategory(slug: string, patch: CategoryPatch): Promise<CategoryDetail> {
    return firstValueFrom(this.http.patch<CategoryDetail>(`${API}/categories/${encodeURIComponent(slug)}`, patch));
  }

  users(query: UserQuery): Promise<UserPage> {
    return firstValueFrom(this.http.get<UserPage>(`${API}/users`, { params: params(query) }));
  }
  setRole(userId: string, role: string, held: boolean): Promise<AdminUser> {
    const url = `${API}/users/${userId}/roles/${encodeURIComponent(role)}`;
    return firstValueFrom(held ? this.http.put<AdminUser>(url, {}) : this.http.delete<AdminUser>(url));
  }
  setUserActive(userId: string, active: boolean): Promise<AdminUser> {
    return firstValueFrom(this.http.post<AdminUser>(`${API}/users/${userId}/${active ? 'activate' : 'deactivate'}`, {}));
  }

  jobs(query: JobQuery): Promise<JobRunPage> {
    return firstValueFrom(this.http.get<JobRunPage>(`${API}/admin/jobs`, { params: params(query) }));
  }
  jobCounts(): Promise<JobStateCounts> {
    return firstValueFrom(this.http.get<JobStateCounts>(`${API}/admin/jobs/counts`));
  }
  job(jobId: string): Promise<JobRunDetail> {
    return firstValueFrom(this.http.get<JobRunDetail>(`${API}/admin/jobs/${jobId}`));
  }
  retryJob(jobId: string): Promise<JobRunDetail> {
    return firstValueFrom(this.http.post<JobRunDetail>(`${API}/admin/jobs/${jobId}/retry`, {}));
  }

  coupons(): Promise<Coupon[]> {
    return firstValueFrom(this.http.get<Coupon[]>(PROMOTIONS));
  }
  createCoupon(coupon: CouponIn): Promise<Coupon> {
    return firstValueFrom(this.http.post<Coupon>(PROMOTIONS, coupon));
  }
  changeCoupon(couponId: string, change: CouponChange): Promise<Coupon> {
    return firstValueFrom(this.http.patch<Coupon>(`${PROMOTIONS}/${couponId}`, change));
  }
  deleteCoupon(couponId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${PROMOTIONS}/${couponId}`));
  }

  /** The site file's shipping methods and zones (read only: decision 0029). */
  shippingMethods(): Promise<ShippingConfiguration> {
    return firstValueFrom(this.http.get<ShippingConfiguration>(`${API}/admin/shipping/methods`));
  }
  /** The site file's tax rates (read only: decision 0029). */
  taxRates(): Promise<TaxConfiguration> {
    return firstValueFrom(this.http.get<TaxConfiguration>(`${API}/admin/tax/rates`));
  }

  webhookEndpoints(): Promise<WebhookEndpoint[]> {
    return firstValueFrom(this.http.get<{ items: WebhookEndpoint[] }>(WEBHOOKS).pipe(map((list) => list.items)));
  }
  /** The answer holds the endpoint's signing secret, this once. */
  createWebhookEndpoint(endpoint: WebhookEndpointCreate): Promise<WebhookEndpointCreated> {
    return firstValueFrom(this.http.post<WebhookEndpointCreated>(WEBHOOKS, endpoint));
  }
  updateWebhookEndpoint(endpointId: string, update: WebhookEndpointUpdate): Promise<WebhookEndpoint> {
    return firstValueFrom(this.http.patch<WebhookEndpoint>(`${WEBHOOKS}/${endpointId}`, update));
  }
  deleteWebhookEndpoint(endpointId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${WEBHOOKS}/${endpointId}`));
  }
  webhookDeliveries(endpointId: string, page: number, pageSize: number): Promise<WebhookDeliveryPage> {
    return firstValueFrom(this.http.get<WebhookDeliveryPage>(`${WEBHOOKS}/${endpointId}/deliveries`,
      { params: params({ page, pageSize }) }));
  }
  replayWebhookDelivery(endpointId: string, deliveryId: string): Promise<WebhookReplay> {
    return firstValueFrom(this.http.post<WebhookReplay>(`${WEBHOOKS}/${endpointId}/deliveries/${deliveryId}/replay`, {}));
  }
}
