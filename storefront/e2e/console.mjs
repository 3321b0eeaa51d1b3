// The staff console's journey against a running server: BASE_URL, STAFF_EMAIL, STAFF_PASSWORD
// (a staff account), ARTIFACTS (screenshots). The site enables promotions, shipping, tax and
// webhooks (endpoints on loopback allowed): the journey's own webhook receiver listens on
// 127.0.0.1. Prints one JSON line; exits 1 on the first failure or on any serious/critical
// axe-core violation.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { CONTEXT_OPTIONS, launchForMany } from './browser.mjs';
import { PageChecks } from './checks.mjs';
import { addToCart, fillAddress, heading } from './steps.mjs';

const BASE = process.env.BASE_URL;
const staff = { email: process.env.STAFF_EMAIL, password: process.env.STAFF_PASSWORD };
const shopper = { email: `buyer-${Date.now()}@example.com`, password: 'correct horse battery staple 42' };
const checks = new PageChecks(process.env.ARTIFACTS || new URL('../artifacts', import.meta.url).pathname, 'console');
const results = {};

async function signIn(page, who) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function openPage(page, name) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
  await heading(page, name);
}

/** Staff sign in at /admin and land on the dashboard; the navigation lists their pages. */
async function staffSignsIn(page) {
  await page.goto(`${BASE}/admin`);
  await heading(page, 'Sign in');
  await signIn(page, staff);
  await heading(page, 'Dashboard');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Console' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Console' });
  results.navigation = await nav.getByRole('link').allTextContents();
  assert.deepEqual(results.navigation.map((t) => t.trim()),
    ['Dashboard', 'Orders', 'Products', 'Categories', 'Promotions', 'Shipping', 'Tax', 'Webhooks', 'Jobs']);
  await page.getByText('Live: the figures follow new orders and payments.').waitFor();
  await checks.check(page, 'dashboard', { streaming: true });
}

async function createsCategoryAndProduct(page) {
  await openPage(page, 'Categories');
  await heading(page, 'Categories');
  await page.locator('#category-name').fill('Desk lamps');
  await page.getByRole('button', { name: 'Create category' }).click();
  await page.locator('tr[data-slug="desk-lamps"]').waitFor();
  await checks.check(page, 'categories');

  await openPage(page, 'Products');
  await heading(page, 'Products');
  await page.locator('#product-name').fill('Brass desk lamp');
  await page.locator('#product-sku').fill('LAMP-E2E-1');
  await page.locator('#product-price').fill('forty');  // refused: the API's message sits beside the price
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.locator('#product-price-error').waitFor();
  await checks.check(page, 'product-errors');
  await page.locator('#product-price').fill('49.50');
  await page.locator('#product-stockQuantity').fill('7');
  await page.locator('#product-category').selectOption({ label: 'Desk lamps' });
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.locator('tr[data-sku="LAMP-E2E-1"]').waitFor();
  await checks.check(page, 'products');
  await page.locator('#import-file').setInputFiles({ name: 'lamps.csv', mimeType: 'text/csv', buffer: Buffer.from(
    'sku,name,price,stockQuantity,category\nLAMP-E2E-2,Paper desk lamp,19.00,5,desk-lamps\nLAMP-E2E-3,Broken lamp,-1,1,\n') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.import-result', { hasText: '1 created, 0 updated, 1 row(s) rejected.' }).waitFor();
  results.importErrors = await page.locator('.import-errors tbody tr').evaluateAll((rows) =>
    rows.map((row) => `line ${row.cells[0].textContent.trim()}: ${row.cells[1].textContent.trim()}`));
  await page.locator('tr[data-sku="LAMP-E2E-2"]').waitFor();
  await checks.check(page, 'products-import');

  await page.getByRole('link', { name: 'Brass desk lamp', exact: true }).click();
  await heading(page, 'Brass desk lamp');
  await page.getByLabel('Change (+10, -2)').fill('+3');
  await page.getByLabel('Reason').fill('Delivery from the supplier');
  await page.getByRole('button', { name: 'Adjust stock' }).click();
  await page.locator('.stock-history .reason', { hasText: 'Delivery from the supplier' }).waitFor();
  results.lampStockAfter = (await page.locator('.stock-history tbody tr').first().locator('td').nth(3).textContent()).trim();
  await checks.check(page, 'product-stock');
}

/** A product sold in two sizes, each its own SKU and stock, with a picture. */
async function createsProductWithVariantsAndImage(page) {
  await openPage(page, 'Products');
  await page.locator('#product-name').fill('Desk tee');
  await page.locator('#product-sku').fill('TEE-E2E');
  await page.locator('#product-price').fill('20.00');
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.getByRole('link', { name: 'Desk tee', exact: true }).click();
  await heading(page, 'Desk tee');
  await page.getByRole('button', { name: 'Add an option' }).click();
  await page.getByLabel('Option 1 name').fill('Size');
  await page.getByLabel('Option 1 values (separated by commas)').fill('S, M');
  await page.getByLabel('Option 1 name').press('Tab');
  await page.getByLabel('SKU of variant 1').fill('TEE-E2E-S');
  await page.getByLabel('Size of variant 1').fill('S');
  await page.getByLabel('Stock of variant 1').fill('2');
  await page.getByRole('button', { name: 'Add a variant' }).click();
  await page.getByLabel('SKU of variant 2').fill('TEE-E2E-S');  // refused: the API names the second row's SKU
  await page.getByLabel('Size of variant 2').fill('M');
  await page.getByLabel('Price of variant 2').fill('22.00');
  await page.getByLabel('Stock of variant 2').fill('3');
  await page.getByLabel('Stock of variant 2').press('Tab');
  await page.getByRole('button', { name: 'Save variants' }).click();
  await page.locator('#variant-1-sku-error').waitFor();
  await checks.check(page, 'variant-errors');
  await page.getByLabel('SKU of variant 2').fill('TEE-E2E-M');
  await page.getByLabel('SKU of variant 2').press('Tab');
  await page.getByRole('button', { name: 'Save variants' }).click();
  await page.locator('.variants tr[data-sku="TEE-E2E-M"]').waitFor();
  results.variants = await page.locator('.variants tbody tr').evaluateAll((rows) => rows.map((row) => row.dataset.sku));
  await page.locator('#image-file').setInputFiles(process.env.PRODUCT_IMAGE);
  await page.locator('#image-alt').fill('A grey tee folded on a desk');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('.images img[alt="A grey tee folded on a desk"]').waitFor();
  await checks.check(page, 'product-variants');
  results.teeOnSale = (await (await fetch(`${BASE}/api/products/desk-tee`)).json()).variants.map((v) => [v.sku, v.stockQuantity]);
}

/** A coupon refused beside its value, then made, limited to a category and a product, and withdrawn; the site
 *  file's shipping and tax rates. */
async function staffSetsUpPromotionsAndReadsRates(page) {
  await openPage(page, 'Promotions');
  await page.getByText('No promotion yet.').waitFor();
  await page.getByLabel('Code (blank: automatic, no code needed)').fill('CONSOLE15');
  await page.locator('#coupon-discountType').selectOption({ label: 'Amount off' });
  await page.getByLabel('Value (percent, or an amount)').fill('ten');  // refused: the API's message beside the value
  await page.getByRole('button', { name: 'Create promotion' }).click();
  await page.locator('#coupon-value-error').waitFor();
  assert.equal(await page.locator('#coupon-value').getAttribute('aria-invalid'), 'true');
  results.couponValueError = (await page.locator('#coupon-value-error').textContent()).trim();
  await checks.check(page, 'promotions-errors');
  await page.getByLabel('Value (percent, or an amount)').fill('15.00');
  await page.getByLabel('Uses in all').fill('100');
  await page.getByRole('button', { name: 'Create promotion' }).click();
  const made = page.locator('tr[data-code="CONSOLE15"]');
  await made.waitFor();
  results.couponDiscount = (await made.locator('.discount').textContent()).trim();
  // an edit limits it to the lamps' category and one lamp by the keyboard (Enter on the buttons and in the search)
  await page.getByRole('button', { name: 'Edit CONSOLE15' }).click();
  await page.getByRole('button', { name: 'Save changes' }).waitFor();  // the form is drawn anew for the promotion edited
  await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Desk lamps' });
  await page.getByRole('button', { name: 'Add category' }).press('Enter');
  await page.getByRole('list', { name: 'Categories chosen' }).getByText('Desk lamps').waitFor();
  await page.getByLabel('Find products by name or SKU').fill('LAMP-E2E-1');
  await page.getByLabel('Find products by name or SKU').press('Enter');
  await page.getByRole('button', { name: 'Add Brass desk lamp' }).press('Enter');
  await page.getByRole('list', { name: 'Products chosen' }).getByText('Brass desk lamp (LAMP-E2E-1)').waitFor();
  await checks.check(page, 'promotions-targets');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await made.locator('.applies-to', { hasText: 'Desk lamps' }).waitFor();
  results.couponAppliesTo = (await made.locator('.applies-to').textContent()).trim();
  await page.getByRole('button', { name: 'Deactivate CONSOLE15' }).click();
  await made.locator('.coupon-state', { hasText: 'Inactive' }).waitFor();
  await checks.check(page, 'promotions');
  await page.getByRole('button', { name: 'Delete… CONSOLE15' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('No promotion yet.').waitFor();

  await openPage(page, 'Shipping');
  await page.locator('.shipping-methods tr[data-method]').first().waitFor();
  results.shippingRates = await page.locator('.shipping-methods tbody tr').evaluateAll((rows) =>
    rows.map((row) => `${row.dataset.method}: ${row.querySelector('.rate').textContent.trim()}`));
  await checks.check(page, 'shipping');
  await openPage(page, 'Tax');
  await page.locator('.tax-rates tr[data-rate]').first().waitFor();
  results.taxRates = await page.locator('.tax-rates tbody tr').evaluateAll((rows) =>
    rows.map((row) => `${row.dataset.rate}: ${row.querySelector('.percent').textContent.trim()}`));
  results.pricesIncludeTax = (await page.locator('.prices-include-tax').textContent()).trim();
  await checks.check(page, 'tax');
}

/** Where the site's webhooks go: answers 200 to each delivery whose Standard Webhooks signature
 *  holds for the secret the console showed, 400 otherwise. */
function webhookReceiver() {
  const receiver = { secret: null, received: [], forged: 0 };
  receiver.server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const [id, timestamp] = [request.headers['webhook-id'], request.headers['webhook-timestamp']];
      const key = Buffer.from((receiver.secret ?? '').replace(/^whsec_/, ''), 'base64');
      const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
      const signed = String(request.headers['webhook-signature'] ?? '').split(' ').includes(expected);
      if (signed) receiver.received.push({ id, type: JSON.parse(body).type });
      else receiver.forged++;
      response.writeHead(signed ? 200 : 400).end();
    });
  });
  return new Promise((resolve) => receiver.server.listen(0, '127.0.0.1', () => {
    receiver.url = `http://127.0.0.1:${receiver.server.address().port}/hooks`;
    resolve(receiver);
  }));
}

/** An endpoint for order events: the events are required (refused beside them), the secret shows once. */
async function staffCreatesAWebhookEndpoint(page, receiver) {
  await openPage(page, 'Webhooks');
  await page.getByLabel('URL').fill(receiver.url);
  await page.getByLabel('Description').fill('The journey receiver');
  await page.getByRole('button', { name: 'Create endpoint' }).click();  // no event chosen: refused by field
  await page.locator('#webhook-events-error').waitFor();
  await page.getByLabel('Order placed').check();
  await page.getByLabel('Order paid').check();
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  const secret = page.locator('#webhook-secret');
  await secret.waitFor();
  receiver.secret = await secret.inputValue();
  await page.getByRole('button', { name: 'Copy' }).click();
  const copied = page.locator('.secret [role="status"]', { hasText: /Copied|Selected/ });
  await copied.waitFor();
  results.secretCopy = (await copied.textContent()).trim();
  await checks.check(page, 'webhook-secret');
  await page.getByRole('button', { name: 'Done' }).click();
  await page.locator(`tr[data-url="${receiver.url}"]`).waitFor();
  await page.reload();
  await heading(page, 'Webhooks');
  await page.locator(`tr[data-url="${receiver.url}"]`).waitFor();
  results.secretShownAgain = (await page.content()).includes(receiver.secret);
}

/** The shopper's order reached the receiver; staff read the deliveries and replay the payment's. */
async function staffReplaysADelivery(page, receiver) {
  await openPage(page, 'Webhooks');
  await page.getByRole('button', { name: `Deliveries to ${receiver.url}` }).click();
  const paid = page.locator('tr.delivery[data-event="order.paid"]');
  await paid.waitFor();
  results.deliveries = await page.locator('tr.delivery').evaluateAll((rows) => rows.map((row) => [row.dataset.event,
    row.querySelector('.delivery-state').textContent.trim(), row.querySelector('.delivery-status').textContent.trim()]));
  await checks.check(page, 'webhook-deliveries');
  const before = receiver.received.length;
  await paid.getByRole('button', { name: /^Replay/ }).click();
  await page.locator('.replayed', { hasText: 'Sent again' }).waitFor();
  for (let waited = 0; receiver.received.length === before && waited < 10000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  results.received = receiver.received.map((delivery) => delivery.type);
  results.replayedSameId = receiver.received.filter((d) => d.id === receiver.received.at(-1).id).length;
  results.forgedDeliveries = receiver.forged;
  await checks.check(page, 'webhook-replayed');
}

/** A second tab of the staff member keeps the dashboard open while the shopper buys. */
async function watchDashboard(context) {
  const page = await context.newPage();
  await page.goto(`${BASE}/admin/dashboard`);
  await heading(page, 'Dashboard');
  await page.getByText('Live: the figures follow new orders and payments.').waitFor();
  results.ordersTodayBefore = Number(await page.locator('.orders-today').textContent());
  return page;
}

/** The order reaches the open dashboard through the event stream, without a reload. */
async function dashboardFollows(page) {
  const expected = String(results.ordersTodayBefore + 1);
  await page.locator('.orders-today', { hasText: expected }).waitFor({ timeout: 15000 });
  results.ordersTodayAfter = Number(await page.locator('.orders-today').textContent());
  await page.close();
}

/** A shopper, in another browser context, buys the new product and pays. */
async function shopperBuys(page) {
  const [lamp] = (await (await fetch(`${BASE}/api/products?q=Brass%20desk%20lamp`)).json()).items;
  await addToCart(page, BASE, lamp.slug);
  await page.goto(`${BASE}/checkout`);
  await heading(page, 'Sign in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(shopper.email);
  await page.getByLabel('Password').fill(shopper.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await heading(page, 'Checkout');
  await fillAddress(page, { street: '9 Lamp Lane', city: 'Boston', zipCode: '02108', country: 'US' });
  await page.locator('#ship-country').press('Tab');  // the cart is quoted for the country: its shipping methods
  await page.getByRole('radio', { name: /Standard/ }).waitFor();
  await page.getByRole('button', { name: 'Place order' }).click();
  await heading(page, 'Test payment');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.locator('.order-status', { hasText: 'Paid' }).waitFor({ timeout: 20000 });
  results.order = page.url().split('/').pop();
}

/** Staff find the order, prepare it, ship it with a tracking number, refund part of it, see the
 *  refund on its payment record, then refund the rest. */
async function staffShipsAndRefunds(page) {
  await openPage(page, 'Orders');
  await heading(page, 'Orders');
  await page.locator('select[name="status"]').selectOption('Paid');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: results.order.slice(0, 8) }).waitFor();
  assert.match(page.url(), /status=Paid/);
  await checks.check(page, 'orders');
  await page.getByRole('link', { name: results.order.slice(0, 8) }).click();
  await heading(page, `Order ${results.order.slice(0, 8)}`);
  await checks.check(page, 'order');
  await page.getByRole('button', { name: 'Mark processing' }).click();
  await page.locator('.order-status', { hasText: 'Processing' }).waitFor();
  await page.getByRole('button', { name: 'Ship', exact: true }).click();  // no tracking number: refused by field
  await page.locator('#tracking-number-error').waitFor();
  assert.equal(await page.locator('#tracking-number').getAttribute('aria-invalid'), 'true');
  await page.locator('#tracking-number').fill('TRACK-E2E-42');
  await page.getByRole('button', { name: 'Ship', exact: true }).click();
  await page.locator('.order-status', { hasText: 'Shipped' }).waitFor();
  assert.equal((await page.locator('.tracking').textContent()).trim(), 'TRACK-E2E-42');
  await page.locator('#refund-amount').fill('10.00');
  await page.locator('#refund-reason').fill('Scratched base');
  await page.getByRole('button', { name: 'Refund…' }).click();
  await page.getByRole('alertdialog').waitFor();
  await checks.check(page, 'refund-confirm');
  await page.getByRole('button', { name: 'Confirm refund' }).click();
  await page.locator('.payment-status', { hasText: 'PartiallyRefunded' }).waitFor();
  results.refunded = (await page.locator('.refunded').textContent()).trim();
  await page.locator('.payment-record-refunded', { hasText: '10.00' }).waitFor();
  await checks.check(page, 'order-refunded');
  await page.getByRole('button', { name: 'Refund in full…' }).click();
  await page.getByRole('alertdialog', { name: /everything not yet refunded/ }).waitFor();
  await page.getByRole('button', { name: 'Confirm refund' }).click();
  await page.locator('.payment-status', { hasText: /^Refunded$/ }).waitFor();
  results.paymentRecords = await page.locator('.payment-record').evaluateAll((rows) => rows.map((row) => ({
    status: row.querySelector('.payment-record-status').textContent.trim(),
    refunded: row.querySelector('.payment-record-refunded').textContent.trim(),
    events: [...row.querySelectorAll('.payment-events li')].map((item) => item.textContent.split(': ').pop().trim()),
  })));
  await checks.check(page, 'order-refunded-in-full');
}

/** A job that failed shows its traceback; staff retry it and it runs again. */
async function staffRetriesAFailedJob(page) {
  await openPage(page, 'Jobs');
  await page.getByRole('navigation', { name: 'Job states' }).getByRole('link', { name: /Failed/ }).click();
  await page.getByRole('button', { name: `Details of ${process.env.FAILED_TASK}` }).first().click();
  await page.getByLabel('Traceback').waitFor();
  results.failedJobTraceback = (await page.getByLabel('Traceback').textContent()).trim().split('\n').pop();
  await checks.check(page, 'jobs-failed');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.locator('#job-detail', { hasText: /succeeded|queued|running/ }).waitFor();
  results.retriedJobState = (await page.locator('#job-detail').textContent()).split('—').pop().trim();
  await checks.check(page, 'jobs');
}

/** A customer opening /admin is sent to the shop; the API refuses their console calls. */
async function customerIsKeptOut(page) {
  await page.goto(`${BASE}/admin/orders`);
  await heading(page, 'Welcome to the shop');
  results.customerLandedOn = new URL(page.url()).pathname;
  results.customerSeesConsoleLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Console' }).count() > 0;
  const login = await fetch(`${BASE}/api/users/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(shopper) });
  const { accessToken } = await login.json();
  const auth = { Authorization: `Bearer ${accessToken}` };
  results.customerApi = {};
  for (const path of ['/api/admin/site', '/api/admin/orders', `/api/admin/orders/${results.order}/refund`,
    '/api/admin/promotions', '/api/admin/shipping/methods', '/api/admin/tax/rates', '/api/admin/webhooks']) {
    const method = path.endsWith('refund') ? 'POST' : 'GET';
    results.customerApi[path] = (await fetch(`${BASE}${path}`, { method, headers: auth })).status;
  }
}

const receiver = await webhookReceiver();
const browser = await launchForMany();
const staffPage = await (await browser.newContext(CONTEXT_OPTIONS)).newPage();
const shopperPage = await (await browser.newContext(CONTEXT_OPTIONS)).newPage();
const pageErrors = [];
for (const page of [staffPage, shopperPage]) page.on('pageerror', (error) => pageErrors.push(String(error)));
try {
  await staffSignsIn(staffPage);
  await createsCategoryAndProduct(staffPage);
  await createsProductWithVariantsAndImage(staffPage);
  await staffSetsUpPromotionsAndReadsRates(staffPage);
  await staffCreatesAWebhookEndpoint(staffPage, receiver);
  const dashboard = await watchDashboard(staffPage.context());
  await shopperBuys(shopperPage);
  await dashboardFollows(dashboard);
  await staffReplaysADelivery(staffPage, receiver);
  await staffShipsAndRefunds(staffPage);
  await staffRetriesAFailedJob(staffPage);
  await customerIsKeptOut(shopperPage);
  assert.deepEqual(checks.violations, [], 'axe-core: serious or critical violations');
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
  console.log(JSON.stringify({ ok: true, screenshots: checks.shots, ...results }));
} catch (error) {
  for (const [name, page] of [['staff', staffPage], ['shopper', shopperPage]]) {
    await page.screenshot({ path: `${checks.artifacts}/console-failure-${name}.png`, fullPage: true }).catch(() => {});
  }
  console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error), url: staffPage.url(),
                               violations: checks.violations, ...results }));
  process.exitCode = 1;
} finally {
  await browser.close();
  receiver.server.close();
}
