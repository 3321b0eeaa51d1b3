// Steps the storefront's and the console's journeys share.
export async function heading(page, text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15000 });
}

export async function fillAddress(page, address) {
  for (const [name, value] of Object.entries(address)) await page.locator(`#ship-${name}`).fill(value);
}

export async function addToCart(page, base, slug) {
  await page.goto(`${base}/products/${slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to your cart.').waitFor();
}
