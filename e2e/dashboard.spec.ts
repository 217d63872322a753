import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@bazaar/shared';
import { addToCart, apiLogin, apiPush, createUser, DEMO_PASSWORD, recordSale, sellable, serverStock, signIn, whenOfflineReady } from './helpers';

const shot = (name: string) => `test-results/screenshots/${name}.png`;
// Managers watch from a tablet or a laptop.
test.use({ viewport: { width: 1280, height: 860 } });

async function signInToDashboard(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Dashboard sections' })).toBeVisible();
}

const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name });
/** The Sales card's figure, in rupees. */
async function salesFigure(page: Page): Promise<number> {
  const text = await page.locator('.figure-card').filter({ has: page.getByRole('heading', { name: 'Sales', exact: true }) }).locator('.figure').innerText();
  return Number(text.replace(/[^\d.]/g, ''));
}

test('a manager’s overview moves when a shopkeeper on another phone records a sale, without a reload', async ({ page, browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [item] = sellable(await serverStock(request, token, storeIds[0]!), 1, 172);
  if (!item) throw new Error('no product');
  await signInToDashboard(page, 'manager');
  await expect(page.getByRole('status').filter({ hasText: /^Updated / })).toBeVisible();
  const before = await salesFigure(page);

  const phone = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 740 } });
  const shop = await phone.newPage();
  await signIn(shop, 'shopkeeper');
  await addToCart(shop, item, 2);
  await recordSale(shop);
  await phone.close();

  // The workers' news reaches the dashboard through the stream: the figure moves by the sale, unasked.
  await expect.poll(() => salesFigure(page), { timeout: 30_000 }).toBe(before + 2 * item.price);
  await expect(page.locator('.figure-card').first()).toContainText(/yesterday until this hour/);
  await page.screenshot({ path: shot('dashboard-overview'), fullPage: true });

  await section(page, 'Trends').click();
  await expect(page.locator('.trend-chart canvas')).toBeVisible();
  await page.getByRole('group', { name: 'By' }).getByRole('button', { name: 'Hour' }).click();
  await expect(page.locator('.trend-chart canvas')).toBeVisible();
  await page.screenshot({ path: shot('dashboard-trends'), fullPage: true });

  await section(page, 'Products').click();
  await expect(page.locator('.data-table tbody tr').first()).toBeVisible();
  await page.screenshot({ path: shot('dashboard-products'), fullPage: true });
  await section(page, 'Alerts').click();
  await expect(page.getByRole('status').filter({ hasText: /^Updated / })).toBeVisible();
  await page.screenshot({ path: shot('dashboard-alerts'), fullPage: true });

  // In Urdu, right to left, every word of the dashboards in Urdu.
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch to Urdu' }).click();
  await page.getByRole('navigation', { name: 'ڈیش بورڈ کے حصے' }).getByRole('button', { name: 'خلاصہ' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'فروخت', exact: true })).toBeVisible();
  await page.screenshot({ path: shot('dashboard-overview-ur'), fullPage: true });
  await page.getByRole('banner').getByLabel('مینو').click();
  await page.getByRole('button', { name: 'انگریزی میں دیکھیں' }).click();
});

test('a manager of one region sees only its stores, and the server refuses another store', async ({ page, request }) => {
  const { storeIds: ownerStores } = await apiLogin(request, 'owner');
  const { storeIds: shopStores } = await apiLogin(request, 'shopkeeper');
  const karachi = shopStores[0]!;
  const lahore = ownerStores.find((id) => id !== karachi)!;
  const username = `punjab-${Date.now()}`;
  await createUser(request, { username, role: 'manager', storeIds: [lahore] });
  await signInToDashboard(page, username);
  await section(page, 'Stores').click();
  const rows = page.locator('.data-table tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Anarkali General Store');
  await expect(page.getByText('Saddar Kiryana Store')).toHaveCount(0);
  await page.screenshot({ path: shot('dashboard-stores-region'), fullPage: true });

  const { token } = await apiLogin(request, username);
  const headers = { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  expect((await request.get(`/api/dashboard/overview?storeIds=${karachi}`, { headers })).status()).toBe(403);
  expect((await request.get(`/api/dashboard/replenishment?storeIds=${karachi}`, { headers })).status()).toBe(403);
});

test('the suggested order of a store downloads as CSV with the rows the server suggests; the dashboard reopens offline as of its time', async ({ page, context, request }) => {
  const { token: ownerToken, storeIds } = await apiLogin(request, 'shopkeeper').then(async (s) => ({ ...(await apiLogin(request, 'owner')), storeIds: s.storeIds }));
  const karachi = storeIds[0]!;
  const stock = await serverStock(request, ownerToken, karachi);
  const [item] = sellable(stock, 1, 173);
  if (!item) throw new Error('no product');
  // A reorder level above what the shelf holds: the replenishment worker suggests an order for it.
  await apiPush(request, ownerToken, [
    {
      id: crypto.randomUUID(),
      storeId: karachi,
      deviceId: 'owner-tablet',
      createdAt: new Date().toISOString(),
      type: 'store_product_update',
      productId: item.productId,
      baseVersion: 0,
      changes: { reorderLevel: item.quantity + 7 },
    },
  ]);
  const { token } = await apiLogin(request, 'manager');
  const headers = { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  const suggested = async () => {
    const res = await request.get(`/api/dashboard/replenishment?storeIds=${karachi}&pageSize=5000`, { headers });
    return ((await res.json()) as { rows: { sku: string; suggestedQuantity: number }[] }).rows;
  };
  await expect.poll(async () => (await suggested()).some((r) => r.sku === item.sku), { timeout: 30_000 }).toBe(true);
  const expected = await suggested();

  await signInToDashboard(page, 'manager');
  await whenOfflineReady(page);
  await section(page, 'Stores').click();
  await page.getByRole('button', { name: 'Saddar Kiryana Store' }).click();
  const order = page.getByRole('table', { name: 'Suggested order' });
  await expect(order.locator('tbody tr').filter({ hasText: item.sku })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: shot('dashboard-store'), fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV for the supplier' }).click();
  const file = await (await download).path();
  const lines = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('"SKU","Product","نام","Unit","To order","On hand","Reorder at","Sold a day","Lead time (days)","As of"');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(expected.map((r) => `"${r.sku}"`));
  const mine = lines.find((l) => l.startsWith(`"${item.sku}"`))!;
  expect(Number(mine.split(',')[4])).toBe(expected.find((r) => r.sku === item.sku)!.suggestedQuantity);

  // Offline and reloaded: the last figures, marked with their time.
  await page.getByRole('button', { name: /Back to all stores/ }).click();
  await section(page, 'Overview').click();
  await expect(page.getByRole('status').filter({ hasText: /^Updated / })).toBeVisible();
  const online = await salesFigure(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: /^Offline: figures as of / })).toBeVisible();
  expect(await salesFigure(page)).toBe(online);
  await page.screenshot({ path: shot('dashboard-offline'), fullPage: true });
  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: /^Updated / })).toBeVisible({ timeout: 20_000 });
});
