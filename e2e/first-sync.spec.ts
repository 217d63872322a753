import { expect, test } from '@playwright/test';
import { apiLogin, DEMO_PASSWORD, headers } from './helpers';

// A store's first sync on a device shows what has arrived of the total, not
// a bare "Loading…"; it goes once everything has, and does not come back.
test('the first sync shows products and stock received of the total, then goes', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const size = (await (await request.get(`/api/stores/${storeIds[0]}/sync-size`, { headers: headers(token) })).json()) as { products: number; stock: number };
  expect(size.products).toBeGreaterThan(0);
  // A slow network: each page of the catalog takes a while, so the progress can be seen.
  await page.route('**/api/sync/products/pull**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.goto('/');
  await page.getByLabel('Username').fill('shopkeeper');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const progress = page.getByTestId('first-sync');
  await expect(progress).toContainText(`of ${size.products.toLocaleString('en-PK')} products`);
  await expect(progress).toContainText(`of ${size.stock.toLocaleString('en-PK')} stock figures`);
  await page.screenshot({ path: 'test-results/screenshots/first-sync.png' });
  await expect(progress).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator('li.product').first()).toBeVisible();
  // Not again on this device for this store.
  await page.unroute('**/api/sync/products/pull**');
  await page.reload();
  await expect(page.locator('li.product').first()).toBeVisible();
  await expect(progress).toHaveCount(0);
});
