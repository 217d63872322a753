import { expect, test } from '@playwright/test';
import { addToCart, apiLogin, nastaliqLoaded, openTab, pendingBadge, productRow, recordSale, sellable, serverStock, setStock, signIn, stockRow, whenOfflineReady } from './helpers';

// The shop on the smallest phone it is used on: 360 × 740 CSS pixels.
test.use({ viewport: { width: 360, height: 740 } });
const shot = (name: string) => `test-results/screenshots/${name}.png`;

test('on a 360 px phone the header is one line and Record sale is in reach with a two-line cart', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [a, b] = sellable(await serverStock(request, token, storeIds[0]!), 2, 165);
  if (!a || !b) throw new Error('no products');
  await signIn(page, 'shopkeeper');

  const header = (await page.getByRole('banner').boundingBox())!;
  expect(header.height).toBeLessThanOrEqual(56);
  // The menu opens from the header and closes with a tap anywhere else.
  await page.getByRole('banner').getByLabel('Menu').click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // At the search box's start: the open menu covers the rest of it.
  await page.getByRole('searchbox', { name: 'Search products' }).click({ position: { x: 8, y: 8 } });
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  await addToCart(page, a, 2);
  await addToCart(page, b, 1);
  const record = page.getByRole('button', { name: 'Record sale' });
  // Reachable without scrolling the page or the cart: wholly on screen.
  await expect(record).toBeInViewport({ ratio: 1 });
  // Names in the cart wrap rather than being cut.
  for (const name of await page.locator('.cart-name').all()) {
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }
  // The search box is not covered by the cart: the shopkeeper can look for the next item.
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: shot('phone-cart') });
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
});

test('changes made offline show on their rows until the server has them, a count with its counted figure', async ({ page, context, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1, 167);
  if (!item) throw new Error('no product');
  await setStock(request, storeId, item, 30);
  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await whenOfflineReady(page);

  await context.setOffline(true);
  await openTab(page, 'Stock');
  await page.getByRole('searchbox', { name: 'Search products' }).last().fill(item.sku);
  await expect(stockRow(page, item.sku).locator('.quantity')).toHaveText('30');
  await stockRow(page, item.sku).getByRole('button', { name: `Open ${item.nameEn}` }).click();
  await page.getByRole('button', { name: 'Start counting this shelf' }).click();
  const form = page.getByRole('form', { name: 'Physical count' });
  await form.getByLabel('Counted quantity').fill('26');
  await form.getByRole('button', { name: 'Record count' }).click();
  await expect(form).toHaveCount(0);
  // The row shows what the shelf holds now, marked as not yet synced.
  await expect(stockRow(page, item.sku).locator('.quantity')).toHaveText('26');
  await expect(stockRow(page, item.sku)).toContainText('1 change not synced');

  await openTab(page, 'Sell');
  await addToCart(page, item, 1);
  await recordSale(page);
  await page.getByRole('searchbox', { name: 'Search products' }).first().fill(item.sku);
  await expect(productRow(page, item.sku)).toContainText('25 in stock');
  await expect(productRow(page, item.sku)).toContainText('2 changes not synced');
  await page.screenshot({ path: shot('phone-unsynced') });

  await context.setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(productRow(page, item.sku)).not.toContainText('not synced');
  await expect(productRow(page, item.sku)).toContainText('25 in stock');
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(25);
});

test('in Urdu the phone header is one line too, in the app\'s own Nastaliq face', async ({ page }) => {
  await signIn(page, 'shopkeeper');
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch to Urdu' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect.poll(() => nastaliqLoaded(page)).toBe(true);
  const header = (await page.getByRole('banner').boundingBox())!;
  expect(header.height).toBeLessThanOrEqual(60);
  await page.screenshot({ path: shot('phone-urdu') });
  await page.getByRole('banner').getByLabel('مینو').click();
  await page.getByRole('button', { name: 'انگریزی میں دیکھیں' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
});

test('a receipt prints alone on one slip of 58 mm or 80 mm thermal paper, and on A4', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [a, b] = sellable(await serverStock(request, token, storeIds[0]!), 2, 168);
  if (!a || !b) throw new Error('no products');
  await signIn(page, 'shopkeeper');
  await addToCart(page, a, 1);
  await addToCart(page, b, 2);
  await recordSale(page);
  await expect(page.getByRole('region', { name: 'Receipt' })).toBeVisible();
  // A whole product list on the screen behind it: none of it may reach the paper.
  await page.getByRole('searchbox', { name: 'Search products' }).fill('');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.locator('li.product').first()).toBeHidden();
  await expect(page.getByRole('region', { name: 'Receipt' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Share on WhatsApp' })).toBeHidden();
  // The slip as a 58 mm printer lays it out (about 220 CSS pixels wide).
  await page.setViewportSize({ width: 220, height: 400 });
  await page.screenshot({ path: shot('receipt-print-58mm'), fullPage: true });
  for (const [width, height] of [['58mm', '150mm'], ['80mm', '150mm'], ['210mm', '297mm']] as const) {
    const pdf = await page.pdf({ width, height, printBackground: false, path: `test-results/receipt-${width}.pdf` });
    // Pages of the PDF: each is one "/Type /Page" object (the tree's "/Type /Pages" is not).
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
    expect(pages, `pages on ${width} paper`).toBe(1);
  }
});

test('an owner switches stores from the menu without signing in again, offline too; a store left with changes says so', async ({ page, context, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [item] = sellable(await serverStock(request, token, storeIds[0]!), 1, 171);
  if (!item) throw new Error('no product');
  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await whenOfflineReady(page);
  const switchTo = async (store: string) => {
    await page.getByRole('banner').getByLabel('Menu').click();
    await page.getByRole('button', { name: 'Switch store' }).click();
    await page.getByRole('button', { name: new RegExp(store) }).click();
    await expect(page.getByRole('banner')).toContainText(store);
    await expect(page.locator('li.product').first()).toBeVisible();
  };
  // Online once, so the second store's data is on the device.
  await switchTo('Anarkali General Store');

  await context.setOffline(true);
  await switchTo('Saddar Kiryana Store');
  await addToCart(page, item, 1);
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('1 pending');
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch store' }).click();
  await expect(page.getByRole('button', { name: /Saddar Kiryana Store/ })).toContainText('1 change waits to sync');
  await page.screenshot({ path: shot('phone-store-switch') });
  await page.getByRole('button', { name: /Anarkali General Store/ }).click();
  await expect(page.locator('li.product').first()).toBeVisible();

  // Back online, back in the store that holds the sale: it goes up, and the list no longer warns.
  await context.setOffline(false);
  await switchTo('Saddar Kiryana Store');
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch store' }).click();
  await expect(page.getByRole('button', { name: /Saddar Kiryana Store/ })).not.toContainText('waits to sync');
});
