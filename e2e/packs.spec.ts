import { expect, test } from '@playwright/test';
import { addToCart, apiLogin, openTab, pendingBadge, productRow, recordSale, serverOperations, serverStock, setStock, signIn, stockRow, whenOfflineReady } from './helpers';

// Cartons and loose pieces (SPEC.md R13): stock is kept in pieces, a line by
// the carton moves 24 of them at the carton's price, and the screens show both.
const SKU = 'NESCAFE-CLASSIC-50G';

test('a carton sold offline moves 24 pieces at the carton price; an owner receives cartons; the screens show cartons and pieces', async ({ page, browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const item = (await serverStock(request, token, storeId)).get(SKU);
  if (!item) throw new Error(`${SKU} is not in the demo catalog`);
  await setStock(request, storeId, item, 60);

  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await page.context().setOffline(true);
  await page.getByRole('searchbox', { name: 'Search products' }).fill(SKU);
  await expect(productRow(page, SKU)).toContainText('60 in stock');
  await expect(productRow(page, SKU).locator('.packs')).toHaveText('2 cartons + 12 pcs');

  // One carton: the box counts cartons, priced at 24 pieces.
  await addToCart(page, item, 1);
  const carton = page.getByRole('button', { name: `Sell ${item.nameEn} by the carton of 24` });
  await expect(carton).toHaveAttribute('aria-pressed', 'false');
  await carton.click();
  await expect(carton).toHaveAttribute('aria-pressed', 'true');
  const cartonPrice = Math.round(item.price * 24 * 100) / 100;
  await expect(page.locator('.cart-line .line-total')).toHaveText(`Rs ${cartonPrice.toLocaleString('en-PK')}`);
  await page.screenshot({ path: 'test-results/screenshots/pack-cart.png' });
  await recordSale(page);
  await expect(page.getByRole('region', { name: 'Receipt' })).toContainText(`1 carton (24) × ${item.nameEn}`);
  await expect(productRow(page, SKU)).toContainText('36 in stock');
  await expect(productRow(page, SKU).locator('.packs')).toHaveText('1 carton + 12 pcs');

  // Five loose ones: the switch is off again for a new line.
  await addToCart(page, item, 5);
  await expect(page.getByRole('button', { name: `Sell ${item.nameEn} by the carton of 24` })).toHaveAttribute('aria-pressed', 'false');
  await recordSale(page);
  await expect(productRow(page, SKU)).toContainText('31 in stock');
  await expect(productRow(page, SKU).locator('.packs')).toHaveText('1 carton + 7 pcs');

  await page.context().setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(SKU)?.quantity).toBe(31);
  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  const sales = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId && op.type === 'sale' && op.lines?.[0]?.productId === item.productId);
  expect(sales.map((op) => op.lines)).toEqual(expect.arrayContaining([[{ productId: item.productId, quantity: 1, unitPrice: cartonPrice, packSize: 24 }], [{ productId: item.productId, quantity: 5, unitPrice: item.price }]]));

  // The owner's tablet receives two cartons at a cost per carton.
  const tablet = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await tablet.newPage();
  await signIn(owner, 'owner', { store: 'Saddar Kiryana Store' });
  await openTab(owner, 'Stock');
  await owner.getByRole('searchbox', { name: 'Search products' }).fill(SKU);
  await expect(stockRow(owner, SKU).locator('.quantity')).toHaveText('31');
  await stockRow(owner, SKU).getByRole('button', { name: `Open ${item.nameEn}` }).click();
  const purchase = owner.getByRole('form', { name: 'Receive a purchase' });
  await purchase.getByLabel('Carton of 24').check();
  await purchase.getByLabel('Cartons').fill('2');
  await purchase.getByLabel('Cost per carton').fill('4800');
  await purchase.getByRole('button', { name: 'Record purchase' }).click();
  await expect(purchase.getByRole('status')).toHaveText(/Recorded/);
  await expect(stockRow(owner, SKU).locator('.quantity')).toHaveText('79');
  await expect(stockRow(owner, SKU).locator('.packs')).toHaveText('3 cartons + 7 pcs');
  await owner.screenshot({ path: 'test-results/screenshots/pack-purchase.png' });
  await expect(pendingBadge(owner)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(SKU)?.quantity).toBe(79);
  await tablet.close();
});
