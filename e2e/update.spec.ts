import { execSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { addToCart, apiLogin, openTab, pendingBadge, recordSale, sellable, serverStock, signIn, whenOfflineReady } from './helpers';

// Last in the run (files go in name order): it rebuilds web/dist as a new version under the running server.
test('a new version is announced, waits while a cart is open, and is applied when the user agrees', async ({ page, request }) => {
  test.setTimeout(180_000);
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [item] = sellable(await serverStock(request, token, storeIds[0]!), 1, 40);
  if (!item) throw new Error('no product');

  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await openTab(page, 'Sync');
  const current = await page.getByRole('definition').filter({ hasText: /^\d+\.\d+\.\d+$/ }).textContent();

  // The next release is deployed while the shopkeeper is ringing up a sale.
  await openTab(page, 'Sell');
  await addToCart(page, item, 1);
  execSync('npm run build -w web', { env: { ...process.env, APP_VERSION: 'e2e-next' }, stdio: 'ignore' });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));

  const banner = page.getByRole('alert').filter({ hasText: 'A new version of the app is ready.' });
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner.getByRole('button', { name: 'Update' })).toBeDisabled();
  await expect(banner).toContainText('Finish the sale in the cart first.');
  await page.screenshot({ path: 'test-results/screenshots/update-waiting.png' });

  await recordSale(page);
  // The new version takes over and reloads the page; the sale made before it is still there and syncs.
  // Wait for that reload: a tab opened before it would be gone after it.
  const reloaded = page.waitForEvent('load');
  await banner.getByRole('button', { name: 'Update' }).click();
  await reloaded;
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  await openTab(page, 'Sync');
  await expect(page.getByRole('definition').filter({ hasText: 'e2e-next' })).toBeVisible({ timeout: 30_000 });
  expect(current).not.toBe('e2e-next');
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeIds[0]!)).get(item.sku)?.quantity).toBe(item.quantity - 1);
});
