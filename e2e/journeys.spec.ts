import { devices, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  addToCart,
  apiLogin,
  attentionBadge,
  openTab,
  pendingBadge,
  productRow,
  recordSale,
  sellable,
  serverOperations,
  serverStock,
  setStock,
  signIn,
  stockRow,
  whenOfflineReady,
  nastaliqLoaded,
  type StockItem,
} from './helpers';

// Journeys 3-7 of the PWA issue, each on products of its own (the `skip` of `sellable`).
const SADDAR = 'Saddar Kiryana Store';
const shot = (name: string) => `test-results/screenshots/${name}.png`;

async function shopkeeperStore(request: Parameters<typeof apiLogin>[0]) {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  return { token, storeId, stock: await serverStock(request, token, storeId) };
}

/** A second device: a browser context of its own (its own storage, service worker and device id). */
async function device(browser: Browser, kind: 'phone' | 'tablet' = 'phone'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...(kind === 'tablet' ? devices['Galaxy Tab S4'] : devices['Pixel 7']), baseURL: test.info().project.use.baseURL });
  return { context, page: await context.newPage() };
}

async function searchStock(page: Page, item: StockItem) {
  await openTab(page, 'Stock');
  await page.getByRole('searchbox', { name: 'Search products' }).last().fill(item.sku);
}

test('3. two devices sell the last units offline: both sales kept, the discrepancy flagged and shown', async ({ browser, request }) => {
  const { token, storeId, stock } = await shopkeeperStore(request);
  const [item] = sellable(stock, 1, 10);
  if (!item) throw new Error('no product to sell');
  await setStock(request, storeId, item, 3);

  const a = await device(browser);
  const b = await device(browser);
  for (const { page } of [a, b]) {
    await signIn(page, 'shopkeeper');
    await page.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
    await expect(productRow(page, item.sku)).toContainText('3 in stock');
    await whenOfflineReady(page);
  }

  // Both offline; each sells 2 of the 3 on the shelf, as far as it knows.
  for (const { context, page } of [a, b]) {
    await context.setOffline(true);
    await addToCart(page, item, 2);
    await recordSale(page);
    await expect(pendingBadge(page)).toHaveText('1 pending');
    await expect(productRow(page, item.sku)).toContainText('1 in stock');
  }

  await a.context.setOffline(false);
  await expect(pendingBadge(a.page)).toHaveText('0 pending', { timeout: 30_000 });
  await b.context.setOffline(false);
  await expect(pendingBadge(b.page)).toHaveText('0 pending', { timeout: 30_000 });

  // Both kept, applied once each; the one that took the stock below zero is flagged.
  const ops = (await serverOperations(request, token)).filter((op) => op.lines?.some((l) => l.productId === item.productId) && op.type === 'sale');
  expect(ops).toHaveLength(2);
  expect(ops.every((op) => op.outcome.status === 'applied')).toBe(true);
  expect(ops.filter((op) => op.outcome.discrepancy && op.outcome.reason === 'negative_stock')).toHaveLength(1);
  expect((await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(-1);

  // Shown on both devices: the header counts it, the sync panel explains it, the stock screen puts it first.
  for (const { page } of [a, b]) {
    await expect(attentionBadge(page)).toHaveText('1 need attention');
    await openTab(page, 'Sync');
    const flagged = page.locator('.op-flagged');
    await expect(flagged).toHaveCount(1);
    await expect(flagged).toContainText('More was sold than the stock on record');
  }
  await b.page.screenshot({ path: shot('sync-flagged'), fullPage: true });
  await openTab(a.page, 'Stock');
  await expect(a.page.locator('li.stock-row').first()).toHaveAttribute('data-sku', item.sku);
  await expect(stockRow(a.page, item.sku)).toHaveClass(/stock-low/);
  await expect(stockRow(a.page, item.sku)).toContainText('-1');
  await a.page.screenshot({ path: shot('stock-low-first'), fullPage: false });

  // A shopkeeper acknowledges it; the decision is recorded and reaches the other device.
  await openTab(b.page, 'Sync');
  await b.page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(attentionBadge(b.page)).toHaveCount(0);
  await expect(attentionBadge(a.page)).toHaveCount(0, { timeout: 30_000 });
  const flaggedOp = (await serverOperations(request, token)).find((op) => ops.some((o) => o.id === op.id) && op.outcome.discrepancy);
  expect(flaggedOp?.outcome.resolution?.action).toBe('acknowledged');
  await a.context.close();
  await b.context.close();

  // The owner still sees it (a possible theft signal), marked as acknowledged at the counter, and reviews it.
  const tablet = await device(browser, 'tablet');
  await signIn(tablet.page, 'owner', { store: SADDAR });
  await openTab(tablet.page, 'Sync');
  const review = tablet.page.locator(`.op-flagged[data-operation="${flaggedOp!.id}"]`);
  await expect(review).toContainText('Acknowledged at the counter at');
  await tablet.page.screenshot({ path: shot('sync-owner-review'), fullPage: true });
  await review.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(review).toHaveCount(0);
  await expect
    .poll(async () => (await serverOperations(request, token)).find((op) => op.id === flaggedOp!.id)?.outcome.resolution?.role, { timeout: 30_000 })
    .toBe('owner');
  await tablet.context.close();
});

test('4. a count taken on a tablet while a phone sells the same product is rebased', async ({ browser, request }) => {
  const { token, storeId, stock } = await shopkeeperStore(request);
  const [item] = sellable(stock, 1, 11);
  if (!item) throw new Error('no product to sell');
  await setStock(request, storeId, item, 20);

  const tablet = await device(browser, 'tablet');
  await signIn(tablet.page, 'owner', { store: SADDAR });
  await searchStock(tablet.page, item);
  await stockRow(tablet.page, item.sku).getByRole('button', { name: `Open ${item.nameEn}` }).click();
  await tablet.page.getByRole('button', { name: 'Start counting this shelf' }).click();
  const countForm = tablet.page.getByRole('form', { name: 'Physical count' });
  await expect(countForm).toContainText('Counting against 20 on record');

  // While the owner counts the shelf, the phone sells 2.
  const phone = await device(browser);
  await signIn(phone.page, 'shopkeeper');
  await addToCart(phone.page, item, 2);
  await recordSale(phone.page);
  await expect(pendingBadge(phone.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(stockRow(tablet.page, item.sku)).toContainText('18');

  // The owner counted 25 on the shelf before those 2 left it: 23 remain.
  await countForm.getByLabel('Counted quantity').fill('25');
  await countForm.getByRole('button', { name: 'Record count' }).click();
  await expect(countForm).toHaveCount(0);
  await expect(tablet.page.getByRole('region', { name: item.nameEn }).getByRole('status')).toHaveText(/Recorded/);
  await expect(pendingBadge(tablet.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(23);
  await expect(stockRow(tablet.page, item.sku).locator('.quantity')).toHaveText('23');
  await tablet.page.screenshot({ path: shot('stock-count'), fullPage: false });
  await tablet.context.close();
  await phone.context.close();
});

test('5. an owner’s price change that loses to a newer one is shown as a conflict, not lost', async ({ browser, request }) => {
  const { token, storeId, stock } = await shopkeeperStore(request);
  const [item] = sellable(stock, 1, 12);
  if (!item) throw new Error('no product');

  const a = await device(browser, 'tablet');
  const b = await device(browser, 'tablet');
  for (const { page } of [a, b]) {
    await signIn(page, 'owner', { store: SADDAR });
    await whenOfflineReady(page);
    await searchStock(page, item);
    await stockRow(page, item.sku).getByRole('button', { name: `Open ${item.nameEn}` }).click();
  }
  const setPrice = async (page: Page, price: string) => {
    const form = page.getByRole('form', { name: 'Price and reorder level' });
    await form.getByLabel('Price in this store').fill(price);
    await form.getByRole('button', { name: 'Save price and reorder level' }).click();
    await expect(form.getByRole('status')).toHaveText(/Recorded/);
  };

  // Tablet A changes the price offline; tablet B changes it online first.
  await a.context.setOffline(true);
  await setPrice(a.page, '131');
  await expect(pendingBadge(a.page)).toHaveText('1 pending');
  await setPrice(b.page, '142');
  await expect(pendingBadge(b.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.price).toBe(142);

  await a.context.setOffline(false);
  await expect(pendingBadge(a.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(attentionBadge(a.page)).toHaveText('1 need attention');
  await openTab(a.page, 'Sync');
  const conflict = a.page.locator('.op-refused');
  await expect(conflict).toContainText('Your price Rs 131 was not saved: someone changed it to Rs 142 first.');
  await a.page.screenshot({ path: shot('sync-conflict'), fullPage: true });
  // Nothing was overwritten silently: the server kept 142 and the refused edit.
  expect((await serverStock(request, token, storeId)).get(item.sku)?.price).toBe(142);

  // The owner decides to apply theirs again, on top of 142: recorded, and it wins this time.
  await conflict.getByRole('button', { name: 'Apply mine again' }).click();
  await expect(attentionBadge(a.page)).toHaveCount(0);
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.price, { timeout: 30_000 }).toBe(131);
  const edits = (await serverOperations(request, token)).filter((op) => op.type === 'store_product_update' && op.productId === item.productId);
  expect(edits.map((op) => op.outcome.status).sort()).toEqual(['applied', 'applied', 'rejected']);
  const refused = edits.find((op) => op.outcome.status === 'rejected')!;
  await expect.poll(async () => (await serverOperations(request, token)).find((op) => op.id === refused.id)?.outcome.resolution?.action).toBe('resent');
  await a.context.close();
  await b.context.close();
});

test('6. switching to Urdu turns the layout right-to-left, and the choice is remembered', async ({ page }) => {
  await signIn(page, 'shopkeeper');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  // English shows each product's Urdu name too: in the app's own face, so no letter of it is a box.
  await expect.poll(() => nastaliqLoaded(page)).toBe(true);
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch to Urdu' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.getByRole('searchbox', { name: 'اشیاء تلاش کریں' })).toBeVisible();
  // Right-to-left for real: the search box's label starts at the right edge.
  const label = await page.getByText('اشیاء تلاش کریں').boundingBox();
  const box = await page.getByRole('searchbox').boundingBox();
  expect(label!.x + label!.width).toBeGreaterThan(box!.x + box!.width - 20);
  // The app's own Urdu face, not whatever the device has: loaded now, and again offline after a reload.
  await expect.poll(() => nastaliqLoaded(page)).toBe(true);
  await page.screenshot({ path: shot('sell-urdu') });

  await whenOfflineReady(page);
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect.poll(() => nastaliqLoaded(page)).toBe(true);
  await page.context().setOffline(false);
  await page.getByRole('banner').getByLabel('مینو').click();
  await page.getByRole('button', { name: 'انگریزی میں دیکھیں' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
});

test('7. two tabs of one browser, offline, a sale in each: both sync once, never twice', async ({ context, page, request }) => {
  const { token, storeId, stock } = await shopkeeperStore(request);
  const [a, b] = sellable(stock, 2, 13);
  if (!a || !b) throw new Error('no products');

  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.locator('li.product').first()).toBeVisible();
  await whenOfflineReady(second);

  await context.setOffline(true);
  await addToCart(page, a, 1);
  await recordSale(page);
  await addToCart(second, b, 1);
  await recordSale(second);
  // One queue on the device: both tabs see both sales waiting.
  await expect(pendingBadge(page)).toHaveText('2 pending');
  await expect(pendingBadge(second)).toHaveText('2 pending');

  await context.setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(pendingBadge(second)).toHaveText('0 pending', { timeout: 30_000 });
  // Both tabs get a chance to push again (a reload, a reconnect): still once each.
  await second.reload();
  await expect(pendingBadge(second)).toHaveText('0 pending');

  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  const mine = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId);
  expect(mine).toHaveLength(2);
  const after = await serverStock(request, token, storeId);
  expect(after.get(a.sku)?.quantity).toBe(a.quantity - 1);
  expect(after.get(b.sku)?.quantity).toBe(b.quantity - 1);
});
