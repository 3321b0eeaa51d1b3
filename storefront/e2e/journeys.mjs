// The storefront's end-to-end journeys against a running server: BASE_URL (required),
// ARTIFACTS (screenshots, default ./artifacts). Prints one JSON line with the results; exits 1
// on the first failed journey or on any serious/critical axe-core violation.
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { PageChecks } from './checks.mjs';
import { mailedLink } from './mail.mjs';
import { addToCart, fillAddress, heading } from './steps.mjs';

const BASE = process.env.BASE_URL;
const checks = new PageChecks(process.env.ARTIFACTS || new URL('../artifacts', import.meta.url).pathname);
const shopper = { email: `shopper-${Date.now()}@example.com`, password: 'correct horse battery staple 42' };
const ADDRESS = { street: '123 Main St', city: 'New York', zipCode: '10001' };
const SAVED_ADDRESS = { name: 'Ada Lovelace', street: '12 Saved Square', city: 'London', zipCode: 'SW1Y 4JH' };
const NEW_PASSWORD = 'a brand new passphrase 43';
const CHANGED_PASSWORD = 'a changed passphrase 44';
const RENAMED = { firstName: 'Augusta Ada', lastName: 'King' };
const MOVED_TO = `moved-${shopper.email}`;
const MAIL_DIR = process.env.MAIL_DIR;
const results = {};

async function api(path) {
  const answer = await fetch(`${BASE}/api${path}`);
  assert.equal(answer.status, 200, path);
  return answer.json();
}

/** A guest browses a category, searches, opens a product, adds two items, tries a coupon that
 *  does not exist (the message stands next to the field), applies the site's (the breakdown shows
 *  it), registers at checkout (the cart merges, coupon and all), pays on the test provider's page
 *  and sees the order Paid. */
async function guestBuysAndRegisters(page) {
  const inStock = (await api('/products?pageSize=20&inStock=true')).items;
  const [first, second] = inStock;
  await page.goto(BASE);
  await heading(page, 'Welcome to the shop');
  await checks.check(page, 'home');
  const category = (await api('/categories'))[0];
  await page.getByRole('link', { name: category.name, exact: true }).first().click();
  await heading(page, category.name);
  await page.getByRole('status').filter({ hasText: /products?$/ }).waitFor();
  await checks.check(page, 'listing-category');
  const term = first.name.split(' ').slice(0, 2).join(' ');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(term);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await heading(page, `Results for “${term}”`);
  assert.match(page.url(), /q=/);
  await checks.check(page, 'listing-search');
  await page.getByRole('link', { name: first.name, exact: true }).first().click();
  await heading(page, first.name);
  await checks.check(page, 'product');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to your cart.').waitFor();
  await addToCart(page, BASE, second.slug);
  await page.getByRole('link', { name: /^Cart/ }).click();
  await heading(page, 'Your cart');
  assert.equal(await page.locator('table.cart tbody tr').count(), 2);
  await checks.check(page, 'cart');
  const coupon = page.getByLabel('Coupon code');
  await coupon.fill('NO-SUCH-CODE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('#coupon-code-error', { hasText: 'No such coupon.' }).waitFor();
  assert.equal(await coupon.getAttribute('aria-describedby'), 'coupon-code-error');
  await coupon.fill(process.env.COUPON_CODE ?? 'JOURNEY10');
  await page.getByRole('button', { name: 'Apply' }).click();
  const discountRow = page.locator('.breakdown .discount', { hasText: 'Coupon' });
  await discountRow.waitFor();
  await page.locator('.breakdown .total dd').waitFor();
  results.cartDiscount = (await discountRow.locator('dd').textContent()).trim();
  results.cartTotal = (await page.locator('.breakdown .total dd').textContent()).trim();
  await checks.check(page, 'cart-with-coupon');
  await page.getByRole('link', { name: 'Checkout' }).click();
  await heading(page, 'Sign in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await heading(page, 'Create an account');
  await page.getByLabel('Email').fill(shopper.email);
  await page.getByLabel('Password').fill(shopper.password);
  await checks.check(page, 'register');
  await page.getByRole('button', { name: 'Create account' }).click();
  await heading(page, 'Checkout');
  await page.getByText('2 item(s)').waitFor();  // the guest cart merged into the new account's
  await fillAddress(page, ADDRESS);
  await checks.check(page, 'checkout');
  await page.getByRole('button', { name: 'Place order' }).click();
  await heading(page, 'Test payment');
  await checks.check(page, 'testpay');
  await page.getByRole('button', { name: 'Pay' }).click();
  await heading(page, 'Thank you');
  await page.locator('.order-status', { hasText: 'Paid' }).waitFor({ timeout: 20000 });
  await checks.check(page, 'order-return');
  results.paidOrder = page.url().split('/').pop();
}

/** A bad address: the API's messages appear beside the fields they name; nothing is ordered. */
async function badAddressShowsFieldErrors(page, product) {
  await addToCart(page, BASE, product.slug);
  await page.goto(`${BASE}/checkout`);
  await heading(page, 'Checkout');
  await fillAddress(page, { street: ' ', city: 'New York', zipCode: 'x'.repeat(40) });
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.locator('#ship-zipCode-error').waitFor();
  await page.locator('#ship-street-error').waitFor();
  assert.equal(await page.locator('#ship-zipCode').getAttribute('aria-invalid'), 'true');
  await checks.check(page, 'checkout-errors');
}

/** A second click on Place order while the first runs makes one order. */
async function doubleClickMakesOneOrder(page) {
  await fillAddress(page, { street: '1 Side St', city: 'Boston', zipCode: '02108' });
  await page.getByRole('button', { name: 'Place order' }).dblclick();
  await heading(page, 'Test payment');
  await page.getByRole('button', { name: 'Cancel' }).click();  // back to the shop, the order unpaid
  await heading(page, 'Thank you');
  results.unpaidOrder = page.url().split('/').pop();
  await page.goto(`${BASE}/account/orders`);
  await heading(page, 'My orders');
  await page.locator('ul.orders li').first().waitFor();
  results.ordersAfterDoubleClick = await page.locator('ul.orders li').count();
  assert.equal(results.ordersAfterDoubleClick, 2, 'the paid order and exactly one more');
  await checks.check(page, 'my-orders');
}

/** The shopper cancels the unpaid order from its page. */
async function shopperCancels(page) {
  await page.goto(`${BASE}/account/orders/${results.unpaidOrder}`);
  await heading(page, 'Order');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.locator('.order-status', { hasText: 'Cancelled' }).waitFor();
  await checks.check(page, 'order-cancelled');
}

/** Paying by card: the storefront only follows the URL Stripe's Checkout Session gives (no
 *  provider script); Stripe's page (the emulator's) sends the shopper back, its webhook pays. */
async function paysWithStripeCheckout(page, product) {
  await addToCart(page, BASE, product.slug);
  await page.goto(`${BASE}/checkout`);
  await heading(page, 'Checkout');
  await fillAddress(page, ADDRESS);
  await page.getByLabel('Credit card').check();
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('heading', { level: 1, name: /^Stripe Checkout: pay / }).waitFor();
  await checks.check(page, 'stripe-checkout');
  await page.getByRole('button', { name: 'Pay' }).click();
  await heading(page, 'Thank you');
  await page.locator('.order-status', { hasText: 'Paid' }).waitFor({ timeout: 20000 });
  results.paidWithStripe = page.url().split('/').pop();
}

/** An access token the API refuses (as an expired one is) is refreshed without the shopper
 *  noticing, and a reload keeps the session (the refresh cookie). */
async function expiredTokenRefreshesSilently(page) {
  let refreshes = 0;
  page.on('request', (request) => { if (request.url().endsWith('/api/users/refresh')) refreshes++; });
  let spoiled = false;
  await page.route('**/api/orders?*', async (route) => {
    if (spoiled) return route.continue();
    spoiled = true;
    await route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer expired.token.value' } });
  });
  await page.goto(`${BASE}/account/orders`);  // a reload: the session comes back from the cookie
  await heading(page, 'My orders');
  await page.locator('ul.orders li a').first().waitFor();
  assert.ok(spoiled, 'the orders call went out with the refused token');
  assert.ok(refreshes >= 2, `a refresh on load and one after the 401 (saw ${refreshes})`);
  results.refreshes = refreshes;
  await page.unroute('**/api/orders?*');
}

/** The registration's mail: its link verifies the address. */
async function verifiesEmailFromTheMail(page) {
  await page.goto(mailedLink(MAIL_DIR, shopper.email, 'account/verify-email'));
  await heading(page, 'Verify your email address');
  await page.getByText(`${shopper.email} is verified.`).waitFor();
  await checks.check(page, 'email-verified');
}

/** The shopper saves an address in the book, then checks out with it without typing one. */
async function checksOutWithASavedAddress(page, product) {
  await page.goto(`${BASE}/account/addresses`);
  await heading(page, 'My addresses');
  for (const [name, value] of Object.entries(SAVED_ADDRESS)) await page.locator(`#book-${name}`).fill(value);
  await page.getByLabel('Default for shipping').check();
  await page.getByRole('button', { name: 'Save the address' }).click();
  await page.locator('ul.addresses li', { hasText: SAVED_ADDRESS.street }).waitFor();
  await checks.check(page, 'address-book');
  await addToCart(page, BASE, product.slug);
  await page.goto(`${BASE}/checkout`);
  await heading(page, 'Checkout');
  const saved = page.getByRole('radio', { name: new RegExp(SAVED_ADDRESS.street) });
  await saved.waitFor();
  assert.ok(await saved.isChecked(), 'the default shipping address is preselected');
  assert.equal(await page.locator('#ship-street').count(), 0, 'no address to type');
  await checks.check(page, 'checkout-saved-address');
  await page.getByRole('button', { name: 'Place order' }).click();
  await heading(page, 'Test payment');
  await page.getByRole('button', { name: 'Pay' }).click();
  await heading(page, 'Thank you');
  results.savedAddressOrder = page.url().split('/').pop();
}

/** My account: the shopper renames themselves, asks to move to a new address (the link goes there;
 *  the account keeps its email until it is opened), is told beside the field that two new
 *  passwords differ, changes the password and is still signed in after a reload (the new pair's
 *  refresh token is the cookie now: the old one was revoked with the password). */
async function managesTheAccount(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  await heading(page, 'My account');
  await page.locator('.email-state', { hasText: 'Verified' }).waitFor();
  await page.locator('#name-firstName').fill(RENAMED.firstName);
  await page.locator('#name-lastName').fill(RENAMED.lastName);
  await page.getByRole('button', { name: 'Save the name' }).click();
  await page.getByText('Your name is saved.').waitFor();
  await page.locator('#email-newEmail').fill(MOVED_TO);
  await page.locator('#email-password').fill(shopper.password);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByText('A link to confirm the new address is on its way to it.').waitFor();
  mailedLink(MAIL_DIR, MOVED_TO, 'account/confirm-email');
  await page.locator('#password-currentPassword').fill(shopper.password);
  await page.locator('#password-newPassword').fill(CHANGED_PASSWORD);
  await page.locator('#password-confirmPassword').fill(`${CHANGED_PASSWORD}!`);
  await page.getByRole('button', { name: 'Change the password' }).click();
  await page.locator('#password-confirmPassword-error').waitFor();
  assert.equal(await page.locator('#password-confirmPassword').getAttribute('aria-invalid'), 'true');
  await checks.check(page, 'my-account');
  await page.locator('#password-confirmPassword').fill(CHANGED_PASSWORD);
  await page.getByRole('button', { name: 'Change the password' }).click();
  await page.getByText('Your password is changed; you stay signed in.').waitFor();
  await page.goto(`${BASE}/account/orders`);  // a reload: the session comes back from the new cookie
  await heading(page, 'My orders');
  await page.locator('ul.orders li a').first().waitFor();
  results.renamed = `${RENAMED.firstName} ${RENAMED.lastName}`;
  results.emailChangeAskedFor = MOVED_TO;
  results.signedInAfterPasswordChange = true;
}

/** Signed out, the shopper asks for a reset link, opens it from the mail, is told beside the
 *  field that a weak password will not do, sets a new one and signs in with it. */
async function resetsAForgottenPassword(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`${BASE}/account/sign-in`);
  await heading(page, 'Sign in');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await heading(page, 'Forgot your password?');
  await page.getByLabel('Email').fill(shopper.email);
  await checks.check(page, 'forgot-password');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByText('If an account uses this address').waitFor();
  await page.goto(mailedLink(MAIL_DIR, shopper.email, 'account/reset-password'));
  await heading(page, 'Choose a new password');
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set the password' }).click();
  await page.locator('#password-error').waitFor();
  assert.equal(await page.getByLabel('New password').getAttribute('aria-invalid'), 'true');
  await checks.check(page, 'reset-password-error');
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await page.getByText('Your password is changed').waitFor();
  await page.goto(`${BASE}/account/sign-in`);
  await page.getByLabel('Email').fill(shopper.email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  results.signedInWithNewPassword = true;
}

const context = await launch();
const page = context.pages()[0] ?? await context.newPage();
const consoleErrors = [];
page.on('pageerror', (error) => consoleErrors.push(String(error)));
try {
  await guestBuysAndRegisters(page);
  const [, , third] = (await api('/products?pageSize=20&inStock=true')).items;
  await badAddressShowsFieldErrors(page, third);
  await doubleClickMakesOneOrder(page);
  await shopperCancels(page);
  await paysWithStripeCheckout(page, third);
  await expiredTokenRefreshesSilently(page);
  await verifiesEmailFromTheMail(page);
  await checksOutWithASavedAddress(page, third);
  await managesTheAccount(page);
  await resetsAForgottenPassword(page);
  assert.deepEqual(checks.violations, [], 'axe-core: serious or critical violations');
  assert.deepEqual(consoleErrors, [], 'uncaught errors in the page');
  console.log(JSON.stringify({ ok: true, shopper: shopper.email, screenshots: checks.shots, ...results }));
} catch (error) {
  await page.screenshot({ path: `${checks.artifacts}/failure.png`, fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error), url: page.url(),
                               violations: checks.violations, ...results }));
  process.exitCode = 1;
} finally {
  await context.close();
}
