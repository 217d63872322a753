import { expect, test, type Page } from '@playwright/test';
import { addToCart, apiLogin, DEMO_PASSWORD, pendingBadge, productRow, quantityBox, recordSale, sellable, serverOperations, serverStock, signIn } from './helpers';

test('a sale made online lands on the server exactly once and the stock drops on screen', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1);
  if (!item) throw new Error('the demo store has no product with stock to sell');

  await signIn(page, 'shopkeeper', { screenshot: 'login.png' });
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');
  await expect(page.locator('li.product').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/sell.png' });
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
  await expect(productRow(page, item.sku)).toContainText(`${item.quantity} in stock`);
  await page.getByRole('button', { name: `Add ${item.nameEn}` }).click();
  await page.getByRole('button', { name: `One more ${item.nameEn}` }).click();
  await expect(quantityBox(page, item)).toHaveValue('2');
  await page.screenshot({ path: 'test-results/screenshots/sell-cart.png', fullPage: true });
  await recordSale(page);

  await expect(pendingBadge(page)).toHaveText('0 pending');
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(item.quantity - 2);
  await expect(productRow(page, item.sku)).toContainText(`${item.quantity - 2} in stock`);

  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  const mine = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ type: 'sale', outcome: { status: 'applied' } });
  await page.screenshot({ path: 'test-results/screenshots/sell-after-sale.png', fullPage: true });
});

test('three sales made offline sync once each when the network returns', async ({ page, context, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [a, b] = sellable(await serverStock(request, token, storeId), 2, 1);
  if (!a || !b) throw new Error('the demo store has too few products with stock');

  await signIn(page, 'shopkeeper');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(a.sku);
  await expect(productRow(page, a.sku)).toContainText(`${a.quantity} in stock`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Offline');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(a.sku);
  await expect(productRow(page, a.sku)).toBeVisible();

  await addToCart(page, a, 1);
  await recordSale(page);
  await addToCart(page, b, 2);
  await recordSale(page);
  await addToCart(page, a, 3);
  await recordSale(page);

  await expect(pendingBadge(page)).toHaveText('3 pending');
  // Projected stock: the server's figure minus this device's unsynced sales.
  await expectOnScreen(page, a.sku, a.quantity - 4);
  await expectOnScreen(page, b.sku, b.quantity - 2);
  await page.screenshot({ path: 'test-results/screenshots/sell-offline.png', fullPage: true });
  // Nothing reached the server while offline.
  expect((await serverStock(request, token, storeId)).get(a.sku)?.quantity).toBe(a.quantity);

  await context.setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');

  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  const mine = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId);
  expect(mine).toHaveLength(3);
  expect(new Set(mine.map((op) => op.id)).size).toBe(3);
  expect(mine.every((op) => op.type === 'sale' && op.outcome.status === 'applied')).toBe(true);
  const after = await serverStock(request, token, storeId);
  expect(after.get(a.sku)?.quantity).toBe(a.quantity - 4);
  expect(after.get(b.sku)?.quantity).toBe(b.quantity - 2);
  await expectOnScreen(page, a.sku, a.quantity - 4);
  await expectOnScreen(page, b.sku, b.quantity - 2);
});

async function expectOnScreen(page: Page, sku: string, quantity: number) {
  await page.getByRole('searchbox', { name: 'Search products' }).fill(sku);
  await expect(productRow(page, sku)).toContainText(`${quantity} in stock`);
}

test('an owner of two stores chooses the store to sell in', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Username').fill('owner');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a store' })).toBeVisible();
  // By name, as the login answer gives them: Saddar (Karachi) and Anarkali (Lahore).
  await expect(page.getByRole('list').getByRole('button')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/screenshots/store-choice.png' });
  await page.getByRole('button', { name: /Anarkali General Store/ }).click();
  await expect(page.locator('.store-label')).toHaveText('Anarkali General Store');
  await expect(page.locator('li.product').first()).toContainText('in stock');
});
