import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { smallBodyURL } from '../playwright.config';
import {
  apiLogin,
  apiPush,
  attentionBadge,
  changeRole,
  createUser,
  DEMO_PASSWORD,
  openTab,
  pendingBadge,
  productRow,
  quantityBox,
  recordSale,
  sellable,
  serverOperations,
  serverStock,
  signIn,
  stockRow,
  whenOfflineReady,
} from './helpers';

// Nothing a device sends can stall its queue (issue: stalled queues, findings 1, 2, 11, 12):
// what the server would refuse is refused before it is queued, and what it refuses
// for good anyway is set aside and shown, while everything queued beside it lands once.
const shot = (name: string) => `test-results/screenshots/${name}.png`;

async function shopkeeperStore(request: Parameters<typeof apiLogin>[0]) {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  return { token, storeId: storeIds[0]!, stock: await serverStock(request, token, storeIds[0]!) };
}

/** Types into a box as a person would, key by key, after selecting what it holds. */
async function typeOver(page: Page, box: ReturnType<typeof quantityBox>, keys: string) {
  await box.click();
  await box.press('ControlOrMeta+a');
  await page.keyboard.type(keys);
}

test('a typed minus, a barcode or 0.0001 in a quantity records nothing; "03" is never made of a 1 and a 3', async ({ page, request }) => {
  const { token, storeId, stock } = await shopkeeperStore(request);
  const [item] = sellable(stock, 1, 50);
  if (!item) throw new Error('no product');
  await signIn(page, 'shopkeeper');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
  await productRow(page, item.sku).getByRole('button', { name: `Add ${item.nameEn}` }).click();
  const box = quantityBox(page, item);
  const record = page.getByRole('button', { name: 'Record sale' });
  const problem = page.locator('.cart-line .field-error');

  await typeOver(page, box, '-5');
  await expect(box).toHaveValue('-5');
  await expect(problem).toHaveText('Above zero, at most 3 decimals.');
  await expect(record).toBeDisabled();
  await expect(record).toHaveAccessibleDescription('Correct the quantities marked in the cart first.');
  await page.screenshot({ path: shot('cart-minus-refused') });

  await typeOver(page, box, '8964000123456');
  await expect(box).toHaveValue('8964000123456');
  await expect(problem).toHaveText('At most 1,000,000. Was a barcode typed here?');
  await expect(record).toBeDisabled();

  await typeOver(page, box, '0.0001');
  await expect(problem).toHaveText('Above zero, at most 3 decimals.');
  await expect(record).toBeDisabled();

  // A 1 deleted and a 3 typed is a 3.
  await typeOver(page, box, '1');
  await box.press('Backspace');
  await expect(box).toHaveValue('');
  await expect(record).toBeDisabled();
  await page.keyboard.type('3');
  await expect(box).toHaveValue('3');
  await expect(problem).toHaveCount(0);
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(item.quantity - 3);
  const sales = (await serverOperations(request, token)).filter((op) => op.type === 'sale' && op.lines?.some((l) => l.productId === item.productId));
  expect(sales.map((op) => op.outcome.status)).toEqual(['applied']);
});

test('an owner demoted while offline: the sale lands once, the purchase is set aside with its reason, kept, and discarded only when asked', async ({ page, request }) => {
  const { token, storeId, stock } = await shopkeeperStore(request);
  const [forSale, forPurchase] = sellable(stock, 2, 51);
  if (!forSale || !forPurchase) throw new Error('no product');
  const username = `owner-${randomUUID().slice(0, 8)}`;
  const userId = await createUser(request, { username, role: 'owner', storeIds: [storeId] });

  await signIn(page, username);
  await whenOfflineReady(page);
  await page.context().setOffline(true);
  // A purchase first, then a sale behind it in the queue.
  await openTab(page, 'Stock');
  await page.getByRole('searchbox', { name: 'Search products' }).last().fill(forPurchase.sku);
  await stockRow(page, forPurchase.sku).getByRole('button', { name: `Open ${forPurchase.nameEn}` }).click();
  const purchase = page.getByRole('form', { name: 'Receive a purchase' });
  await purchase.getByLabel('Quantity').fill('12');
  await purchase.getByLabel('Unit cost').fill('80');
  await purchase.getByRole('button', { name: 'Record purchase' }).click();
  await expect(purchase.getByRole('status')).toHaveText(/Recorded/);
  await openTab(page, 'Sell');
  await page.getByRole('searchbox', { name: 'Search products' }).first().fill(forSale.sku);
  await productRow(page, forSale.sku).getByRole('button', { name: `Add ${forSale.nameEn}` }).click();
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('2 pending');

  // Meanwhile the admin makes them a shopkeeper: their sessions end, and shopkeepers may not receive purchases.
  await changeRole(request, userId, 'shopkeeper');
  await page.context().setOffline(false);
  await expect(page.getByLabel('Username')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(attentionBadge(page)).toHaveText('1 need attention');
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(forSale.sku)?.quantity).toBe(forSale.quantity - 1);
  expect((await serverStock(request, token, storeId)).get(forPurchase.sku)?.quantity).toBe(forPurchase.quantity);
  const mine = (await serverOperations(request, token)).filter((op) => op.outcome.userId === userId);
  expect(mine.map((op) => [op.type, op.outcome.status])).toEqual([['sale', 'applied']]);

  await openTab(page, 'Sync');
  const aside = page.locator('.op-set-aside');
  await expect(aside).toHaveCount(1);
  await expect(aside).toContainText('Purchase');
  await expect(aside).toContainText(`12 × ${forPurchase.nameEn}`);
  await expect(aside).toContainText('Your role may not record this in this store (any more).');
  await page.screenshot({ path: shot('sync-set-aside'), fullPage: true });
  // A copy for the shop's books, then a deliberate discard.
  const download = page.waitForEvent('download');
  await aside.getByRole('button', { name: 'Save a copy' }).click();
  expect((await download).suggestedFilename()).toMatch(/^bazaar-purchase-.*\.json$/);
  await aside.getByRole('button', { name: 'Discard' }).click();
  await aside.getByRole('button', { name: 'Yes, discard' }).click();
  await expect(aside).toHaveCount(0);
  await expect(page.getByText('1 discarded (still stored on this phone).')).toBeVisible();
  await expect(attentionBadge(page)).toHaveCount(0);
  // Nothing was sent again.
  expect((await serverOperations(request, token)).filter((op) => op.outcome.userId === userId).map((op) => op.type)).toEqual(['sale']);
});

test('a manager is offered no Sell tab; a shopkeeper sees an owner’s price conflict explained but not the owner’s decision', async ({ browser, request }) => {
  const { storeId, stock } = await shopkeeperStore(request);
  const [item] = sellable(stock, 1, 53);
  if (!item) throw new Error('no product');
  // An owner's price edit that lost against a newer one.
  const { token: ownerToken } = await apiLogin(request, 'owner');
  const edit = (price: number) => ({
    id: randomUUID(),
    storeId,
    deviceId: 'owner-tablet',
    createdAt: new Date().toISOString(),
    type: 'store_product_update',
    productId: item.productId,
    baseVersion: 0,
    changes: { price },
  });
  await apiPush(request, ownerToken, [edit(150)]);
  expect(await apiPush(request, ownerToken, [edit(155)])).toHaveLength(1);

  const phone = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const shop = await phone.newPage();
  await signIn(shop, 'shopkeeper');
  await openTab(shop, 'Sync');
  const conflict = shop.locator('.op-refused').filter({ hasText: 'Your price Rs 155 was not saved' });
  await expect(conflict).toBeVisible({ timeout: 30_000 });
  await expect(conflict).toContainText('Someone whose role may make this change decides about it.');
  await expect(conflict.getByRole('button')).toHaveCount(0);
  await shop.screenshot({ path: shot('sync-shopkeeper-conflict'), fullPage: true });
  await phone.close();

  const laptop = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const manager = await laptop.newPage();
  await manager.goto('/');
  await manager.getByLabel('Username').fill('manager');
  await manager.getByLabel('Password').fill(DEMO_PASSWORD);
  await manager.getByRole('button', { name: 'Sign in' }).click();
  // A manager lands on the dashboards; a store's own stock is one of its pages away.
  await manager.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name: 'Stores' }).click();
  await manager.getByRole('button', { name: 'Saddar Kiryana Store' }).click();
  await manager.getByRole('button', { name: 'Stock and sync of this store' }).click();
  const tabs = manager.getByRole('navigation', { name: 'Sections' }).getByRole('button');
  await expect(tabs).toHaveText(['Stock', 'Sync']);
  await expect(manager.getByRole('button', { name: 'Record sale' })).toHaveCount(0);
  await expect(manager.locator('li.stock-row').first()).toBeVisible();
  await manager.screenshot({ path: shot('manager-stock') });
  await laptop.close();
});

test('a queue larger than the server reads goes up in pieces, each sale once; a sale too large alone is set aside as too large', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const { token, stock } = await shopkeeperStore(request);
  const items = [...stock.values()].sort((a, b) => a.sku.localeCompare(b.sku));
  const since = new Date().toISOString();
  const context = await browser.newContext({ baseURL: smallBodyURL });
  const page = await context.newPage();
  const add = async (sku: string, nameEn: string) => {
    await page.getByRole('searchbox', { name: 'Search products' }).fill(sku);
    await productRow(page, sku).getByRole('button', { name: `Add ${nameEn}` }).click();
  };
  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await context.setOffline(true);
  // Twelve ordinary sales: together above the 4 KiB this server reads, each far below it.
  const small = items.slice(60, 72);
  for (const item of small) {
    await add(item.sku, item.nameEn);
    await recordSale(page);
  }
  // One sale of 70 lines, about 5 KB on its own.
  for (const item of items.slice(80, 150)) await add(item.sku, item.nameEn);
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('13 pending');

  await context.setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 60_000 });
  // Tests run one at a time: the sales made since this one began are its own.
  const mine = (await serverOperations(request, token)).filter((op) => op.type === 'sale' && op.createdAt >= since);
  expect(mine.map((op) => op.outcome.status)).toEqual(small.map(() => 'applied'));
  expect(small.map((i) => mine.filter((op) => op.lines?.[0]?.productId === i.productId).length)).toEqual(small.map(() => 1));
  await openTab(page, 'Sync');
  const aside = page.locator('.op-set-aside');
  await expect(aside).toHaveCount(1);
  await expect(aside).toContainText('This record is too large to send.');
  await page.screenshot({ path: shot('sync-set-aside-too-large'), fullPage: true });
  await context.close();
});
