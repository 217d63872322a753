import { expect, test } from '@playwright/test';
import { addToCart, apiLogin, openTab, recordSale, sellable, serverStock, signIn, stockRow, whenOfflineReady } from './helpers';

const shot = (name: string) => `test-results/screenshots/${name}.png`;

test('an owner’s stock screen shows a low-stock alert as a shopkeeper’s sale crosses the reorder level, offline after a reload too, and it clears', async ({
  page,
  context,
  browser,
  request,
}) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1, 160);
  if (!item) throw new Error('no product');

  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await whenOfflineReady(page);
  await openTab(page, 'Stock');
  const alert = page.locator('.alerts li[data-kind="low_stock"]').filter({ hasText: item.nameEn });
  await expect(alert).toHaveCount(0);

  // The owner sets the reorder level at the stock on hand less one: not low yet.
  const settings = async (reorder: string) => {
    await page.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
    const row = stockRow(page, item.sku);
    if ((await row.getByRole('form', { name: 'Price and reorder level' }).count()) === 0) {
      await row.getByRole('button', { name: `Open ${item.nameEn}` }).click();
    }
    const form = row.getByRole('form', { name: 'Price and reorder level' });
    await form.getByLabel('Reorder level').fill(reorder);
    await form.getByRole('button', { name: 'Save price and reorder level' }).click();
    await expect(form.getByRole('status')).toHaveText(/Recorded/);
  };
  await settings(String(item.quantity - 1));

  // A shopkeeper on another phone sells two: the alerts worker opens low_stock, and the owner's screen shows it unasked.
  const phone = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const shop = await phone.newPage();
  await signIn(shop, 'shopkeeper');
  await addToCart(shop, item, 2);
  await recordSale(shop);
  await expect(alert).toHaveCount(1, { timeout: 30_000 });
  await expect(alert).toContainText('Low stock');
  await expect(alert).toContainText(`${item.quantity - 2} on record`);
  await page.screenshot({ path: shot('stock-alerts'), fullPage: true });
  await phone.close();

  // Offline and reloaded, the alert is still there: it was pulled into the device's database.
  await context.setOffline(true);
  await page.reload();
  await openTab(page, 'Stock');
  await expect(alert).toHaveCount(1);
  await alert.getByRole('button').click();
  await expect(stockRow(page, item.sku).getByRole('form', { name: 'Price and reorder level' })).toBeVisible();
  await context.setOffline(false);

  // No reorder level, no low stock: the alert clears by itself.
  await settings('');
  await expect(alert).toHaveCount(0, { timeout: 30_000 });
});
