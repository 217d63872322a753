import { expect, test } from '@playwright/test';
import { baseURL, shortTokenURL } from '../playwright.config';
import { addToCart, apiLogin, DEMO_PASSWORD, pendingBadge, recordSale, sellable, serverOperations, serverStock, signIn, whenOfflineReady } from './helpers';

// Against the instance whose access tokens live 30 s (e2e/server.ts): expiry happens within the test.
test.use({ baseURL: shortTokenURL });

test('sales are recorded offline across an expired token, and the queue survives another user signing in and out', async ({ page, context, playwright }) => {
  test.setTimeout(150_000);
  // The test reads the server through the main instance, whose tokens outlive the test.
  const request = await playwright.request.newContext({ baseURL });
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [a, b] = sellable(await serverStock(request, token, storeId), 2, 20);
  if (!a || !b) throw new Error('no products');

  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await context.setOffline(true);
  // Past the access token's life (30 s) while offline; the app is reopened from the cache.
  const accessToken = () => page.evaluate(() => JSON.parse(localStorage.getItem('bazaar.session')!).accessToken as string);
  const expired = await accessToken();
  const expiry = JSON.parse(Buffer.from(expired.split('.')[1]!, 'base64url').toString()).exp as number;
  await page.waitForTimeout(Math.max(0, expiry * 1000 - Date.now()) + 2_000);
  await page.reload();
  await addToCart(page, a, 1);
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('1 pending');

  // Back online: the app refreshes its token by itself and the sale goes through, once.
  await context.setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  expect(await accessToken()).not.toBe(expired);
  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  expect((await serverOperations(request, token)).filter((op) => op.deviceId === deviceId)).toHaveLength(1);

  // Offline again: a sale, then the shopkeeper signs out with it still queued.
  await context.setOffline(true);
  await addToCart(page, b, 2);
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('1 pending');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // The owner uses the same phone online: the shopkeeper's queue is not theirs to push, nor is it lost.
  await context.setOffline(false);
  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await expect(pendingBadge(page)).toHaveText('0 pending');
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect((await serverStock(request, token, storeId)).get(b.sku)?.quantity).toBe(b.quantity);

  // The shopkeeper signs in again: their sale syncs, exactly once.
  await page.getByLabel('Username').fill('shopkeeper');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(b.sku)?.quantity).toBe(b.quantity - 2);
  const mine = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId);
  expect(mine).toHaveLength(2);
  expect(mine.every((op) => op.status === 'applied')).toBe(true);
  await request.dispose();
});
