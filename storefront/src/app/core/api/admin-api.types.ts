/** Names for the generated schemas the staff console uses (schema.d.ts is generated: never edit it). */
import type { components, paths } from './schema';

type Schemas = components['schemas'];
export type ConsoleSite = Schemas['ConsoleSite'];
export type StaffOrder = Schemas['StaffOrderSummary'];
export type StaffOrderDetail = Schemas['StaffOrderDetail'];
export type StaffOrderPage = Schemas['StaffOrderPage'];
export type StaffOrderQuery = NonNullable<paths['/api/admin/orders']['get']['parameters']['query']>;
export type RefundOrder = Schemas['RefundOrder'];
export type ProductCreate = Schemas['CatalogProductCreate'];
export type ProductPatch = Schemas['CatalogProductPatch'];
export type StockAdjustment = Schemas['CatalogStockAdjustment'];
export type StockMovement = Schemas['CatalogStockMovement'];
export type ImportRun = Schemas['CatalogImportRun'];
export type StaffProductQuery = NonNullable<paths['/api/admin/products']['get']['parameters']['query']>;
export type ProductStatus = NonNullable<StaffProductQuery['status']>;
export type ProductVariants = Schemas['CatalogVariants'];
export type VariantIn = Schemas['CatalogVariantIn'];
export type ProductOption = Schemas['CatalogOption'];
export type ProductImage = Schemas['CatalogImage'];
export type PaymentRecord = Schemas['PaymentRecord'];
export type CategoryDetail = Schemas['CatalogCategoryDetail'];
export type StaffCategoryNode = Schemas['CatalogStaffCategoryNode'];
export type CategoryUpdate = Schemas['CatalogCategoryUpdate'];
export type CategoryPatch = Schemas['CatalogCategoryPatch'];
export type AdminUser = Schemas['AdminUser'];
export type UserPage = Schemas['UserPage'];
export type UserQuery = NonNullable<paths['/api/users']['get']['parameters']['query']>;
export type JobRun = Schemas['JobRun'];
export type JobRunDetail = Schemas['JobRunDetail'];
export type JobRunPage = Schemas['JobRunPage'];
export type JobStateCounts = Schemas['JobStateCounts'];
export type JobQuery = NonNullable<paths['/api/admin/jobs']['get']['parameters']['query']>;
export type JobState = NonNullable<JobQuery['state']>;

/** A staff action on an order without a body, by its path segment (``POST /api/admin/orders/{id}/<action>``). */
export type OrderAction = 'process' | 'complete' | 'cancel' | 'mark-paid';
