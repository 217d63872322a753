import { expect, test } from '@playwright/test';
import { baseURL, shortTokenURL } from '../playwright.config';
import { addToCart, signOut, apiLogin, DEMO_PASSWORD, pendingBadge, recordSale, sellable, serverOperations, serverStock, signIn, whenOfflineReady } from './helpers';

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
  await signOut(page);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // The owner uses the same phone online: the shopkeeper's queue is not theirs to push, nor is it lost.
  await context.setOffline(false);
  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await expect(pendingBadge(page)).toHaveText('0 pending');
  await signOut(page);
  expect((await serverStock(request, token, storeId)).get(b.sku)?.quantity).toBe(b.quantity);

  // The shopkeeper signs in again: their sale syncs, exactly once.
  await page.getByLabel('Username').fill('shopkeeper');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(b.sku)?.quantity).toBe(b.quantity - 2);
  const mine = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId);
  expect(mine).toHaveLength(2);
  expect(mine.every((op) => op.outcome.status === 'applied')).toBe(true);
  await request.dispose();
});

test('two tabs whose access tokens expire together stay signed in: one refresh at a time, none refused', async ({ context, playwright }) => {
  test.setTimeout(120_000);
  const request = await playwright.request.newContext({ baseURL });
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [item] = sellable(await serverStock(request, token, storeIds[0]!), 1, 22);
  if (!item) throw new Error('no products');

  const refreshes: number[] = [];
  const streams = new Map<string, number[]>();
  const first = await context.newPage();
  await signIn(first, 'shopkeeper');
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  for (const [name, page] of [['first', first], ['second', second]] as const) {
    streams.set(name, []);
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path === '/api/auth/refresh') refreshes.push(res.status());
      if (path === '/api/sync/stream') streams.get(name)!.push(res.status());
    });
  }

  // Both tabs' event streams end when the shared token expires, and both reconnect at once.
  const accessToken = () => first.evaluate(() => JSON.parse(localStorage.getItem('bazaar.session')!).accessToken as string);
  const initial = await accessToken();
  const expiry = JSON.parse(Buffer.from(initial.split('.')[1]!, 'base64url').toString()).exp as number;
  await first.waitForTimeout(Math.max(0, expiry * 1000 - Date.now()));
  await expect.poll(accessToken, { timeout: 20_000 }).not.toBe(initial);
  // Each tab streams again with the new token.
  for (const name of ['first', 'second']) await expect.poll(() => streams.get(name)!.includes(200), { timeout: 20_000 }).toBe(true);

  expect(refreshes.length).toBeGreaterThan(0);
  expect(refreshes.every((status) => status === 200)).toBe(true);
  for (const page of [first, second]) await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  // The session is whole: a sale in the second tab syncs.
  await addToCart(second, item, 1);
  await recordSale(second);
  await expect(pendingBadge(first)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeIds[0]!)).get(item.sku)?.quantity).toBe(item.quantity - 1);
  await request.dispose();
});
