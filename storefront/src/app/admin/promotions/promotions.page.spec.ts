import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { Coupon, CouponChange, StaffCategoryNode } from '../../core/api/admin-api.types';
import { PromotionsPage } from './promotions.page';

const WINTER: Coupon = {
  id: 'c1', code: 'WINTER10', automatic: false, description: 'Winter', discountType: 'fixed', value: '10.00',
  productIds: [], categoryIds: [], minSubtotal: '50.00', startsAt: null, endsAt: null, usageLimit: 5,
  perCustomerLimit: null, isActive: true, timesUsed: 2,
};
const AUDIO10: Coupon = { ...WINTER, id: 'c2', code: 'AUDIO10', categoryIds: ['audio'], productIds: ['lamp'] };
const TREE: StaffCategoryNode[] = [
  { id: 'electronics', slug: 'electronics', name: 'Electronics', children: [{ id: 'audio', slug: 'audio', name: 'Audio' }] },
  { id: 'books', slug: 'books', name: 'Books', isActive: false },
];
const LAMP = { id: 'lamp', name: 'Brass lamp', sku: 'LAMP-1' };
const TEE = { id: 'tee', name: 'Desk tee', sku: 'TEE-1' };

describe('PromotionsPage', () => {
  let changes: CouponChange[];
  const api = {
    site: () => Promise.resolve({ name: 'shop', currency: 'USD', plugins: [], permissions: [] }),
    coupons: () => Promise.resolve([WINTER, AUDIO10]),
    categories: () => Promise.resolve(TREE),
    products: () => Promise.resolve({ items: [LAMP, TEE], page: 1, pageSize: 10, totalCount: 2 }),
    product: () => Promise.resolve(LAMP),
    changeCoupon: (_id: string, change: CouponChange) => {
      changes.push(change);
      if (change.value === 'ten') {
        return Promise.reject(new HttpErrorResponse({ status: 422, error: { errors: { value: ['Not an amount.'] } } }));
      }
      return change.categoryIds?.includes('books')
        ? Promise.reject(new HttpErrorResponse({ status: 422, error: { errors: { categoryIds: ['No category books.'] } } }))
        : Promise.resolve({ ...WINTER, ...change });
    },
  };

  beforeEach(() => {
    changes = [];
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  async function settled(fixture: ComponentFixture<PromotionsPage>): Promise<void> {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  async function editing(code: string): Promise<[HTMLElement, ComponentFixture<PromotionsPage>]> {
    const fixture = TestBed.createComponent(PromotionsPage);
    await settled(fixture);
    const page = fixture.nativeElement as HTMLElement;
    page.querySelector<HTMLButtonElement>(`tr[data-code="${code}"] button.link`)!.click();
    await settled(fixture);
    return [page, fixture];
  }

  async function sent(page: HTMLElement, fixture: ComponentFixture<PromotionsPage>): Promise<void> {
    page.querySelector<HTMLFormElement>('form.coupon-form')!.requestSubmit();
    await settled(fixture);
  }

  function button(page: HTMLElement, name: string): HTMLButtonElement {
    return [...page.querySelectorAll<HTMLButtonElement>('form.coupon-form button')].find((each) => each.textContent!.trim() === name)!;
  }

  function texts(page: HTMLElement, selector: string): string[] {
    return [...page.querySelectorAll(selector)].map((each) => each.textContent!.replace(/\s+/g, ' ').trim());
  }

  async function edited(value: string): Promise<HTMLElement> {
    const [page, fixture] = await editing('WINTER10');
    page.querySelector<HTMLInputElement>('#coupon-value')!.value = value;
    await sent(page, fixture);
    return page;
  }

  it("fills the form with the promotion's values and sends them as changed", async () => {
    const page = await edited('12.50');
    expect(changes).toEqual([jasmine.objectContaining({ code: 'WINTER10', description: 'Winter', discountType: 'fixed',
      value: '12.50', minSubtotal: '50.00', usageLimit: 5, perCustomerLimit: null, isActive: true, categoryIds: [], productIds: [] })]);
    expect(page.querySelector('#coupon-form-heading')!.textContent).toBe('New promotion');
  });

  it("shows the API's refusal beside the field it names", async () => {
    const page = await edited('ten');
    expect(page.querySelector('#coupon-value-error')!.textContent).toBe('Not an amount.');
    expect(page.querySelector('#coupon-value')!.getAttribute('aria-invalid')).toBe('true');
    expect(page.querySelector('#coupon-form-heading')!.textContent).toBe('Change WINTER10');
  });

  it('lists what each promotion applies to, its categories by their path', async () => {
    const fixture = TestBed.createComponent(PromotionsPage);
    await settled(fixture);
    expect(texts(fixture.nativeElement, '.applies-to')).toEqual(['Everything', '1 category (Electronics › Audio), 1 product']);
  });

  it('shows the chosen categories and products, removes and adds them, and sends the sets chosen', async () => {
    const [page, fixture] = await editing('AUDIO10');
    expect(texts(page, '.chosen-categories li')).toEqual(['Electronics › Audio Remove Electronics › Audio']);
    expect(texts(page, '.chosen-products li')).toEqual(['Brass lamp (LAMP-1) Remove Brass lamp (LAMP-1)']);
    expect(texts(page, '#coupon-category option')).toEqual(['Electronics', 'Books (inactive)']);

    button(page, 'Remove Electronics › Audio').click();
    await settled(fixture);
    const select = page.querySelector<HTMLSelectElement>('#coupon-category')!;
    expect(document.activeElement).toBe(select);  // the keyboard stays in the form, where categories are chosen
    expect(texts(page, '.chosen-categories li')).toEqual(['None']);
    select.value = 'electronics';
    button(page, 'Add category').click();
    await settled(fixture);
    expect(texts(page, '[role="status"]')).toContain('Electronics added.');

    const search = page.querySelector<HTMLInputElement>('#coupon-product-search')!;
    search.value = 'desk';
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    search.dispatchEvent(enter);
    await settled(fixture);
    expect(enter.defaultPrevented).toBeTrue();  // Enter finds products: the form is not sent
    expect(texts(page, '.product-matches li')).toEqual(['Desk tee (TEE-1) Add Desk tee']);  // the lamp is chosen already
    button(page, 'Add Desk tee').click();
    await settled(fixture);
    expect(document.activeElement).toBe(search);

    await sent(page, fixture);
    expect(changes).toEqual([jasmine.objectContaining({ code: 'AUDIO10', categoryIds: ['electronics'], productIds: ['lamp', 'tee'] })]);
    expect(texts(page, '.chosen-categories li, .chosen-products li')).toEqual(['None', 'None']);  // a new promotion's form
    expect(page.querySelector('.product-matches')).toBeNull();
  });

  it("shows a refused category beside the categories and keeps the ones chosen", async () => {
    const [page, fixture] = await editing('AUDIO10');
    page.querySelector<HTMLSelectElement>('#coupon-category')!.value = 'books';
    button(page, 'Add category').click();
    await settled(fixture);
    await sent(page, fixture);
    expect(page.querySelector('#coupon-categoryIds-error')!.textContent).toBe('No category books.');
    expect(page.querySelector('#coupon-category')!.getAttribute('aria-invalid')).toBe('true');
    expect(texts(page, '.chosen-categories li').length).toBe(2);
  });
});
