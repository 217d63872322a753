import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, test } from '@playwright/test';
import { apiLogin, apiPush, openTab, quantityBox, sellable, serverStock, signIn, whenOfflineReady } from './helpers';

// A device's history is bounded (SPEC.md P7): a phone signed in today does not
// pull a cash sale of forty days ago, and finds it by its receipt's number
// from the server when a customer brings the receipt back.
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Makes one operation of the e2e server's database forty days old, as time would, without changing it (its txid stays). */
async function age(operationId: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'bazaar\\_e2e\\_%'`);
  await client.end();
  expect(rows).toHaveLength(1);
  const url = new URL(admin);
  url.pathname = `/${rows[0]!.datname}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query('ALTER TABLE operations DISABLE TRIGGER operations_touch');
    const { rowCount } = await db.query(`UPDATE operations SET received_at = now() - interval '40 days' WHERE id = $1`, [operationId]);
    expect(rowCount).toBe(1);
    await db.query('ALTER TABLE operations ENABLE TRIGGER operations_touch');
    await db.query('COMMIT');
  } finally {
    await db.end();
  }
}

test('a sale older than the phone’s history is found by its receipt on the server, with what it has left to return; offline, the phone says why it cannot look', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1, 20);
  if (!item) throw new Error('no product to sell');
  // Sold at another phone, and returned once there.
  const sale = {
    id: randomUUID(), storeId, deviceId: 'e2e-old-phone', createdAt: new Date().toISOString(), type: 'sale',
    lines: [{ productId: item.productId, quantity: 3, unitPrice: item.price }], payment: { method: 'cash' },
  };
  const back = {
    id: randomUUID(), storeId, deviceId: 'e2e-old-phone', createdAt: new Date().toISOString(), type: 'return', saleId: sale.id,
    lines: [{ productId: item.productId, quantity: 1, unitPrice: item.price }],
  };
  await apiPush(request, token, [sale, back]);
  await age(sale.id);
  await age(back.id);

  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await openTab(page, 'Sell');
  await page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Return' }).click();
  const byReceipt = page.getByRole('form', { name: 'Return by receipt number' });
  const receipt = `#${sale.id.slice(0, 8).toUpperCase()}`;

  // Offline, the phone cannot know the sale: it says so, and nothing is put in the cart.
  await page.context().setOffline(true);
  await byReceipt.getByLabel('Receipt number').fill(receipt);
  await byReceipt.getByRole('button', { name: 'Find the sale' }).click();
  await expect(byReceipt.getByRole('alert')).toContainText('not on this phone');
  await byReceipt.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/return-receipt-offline.png' });
  await expect(page.locator('.cart-line')).toHaveCount(0);

  // Online, the server finds it: the phone did not hold it, so the answer comes from there.
  await page.context().setOffline(false);
  const asked = page.waitForResponse((res) => res.url().includes(`/api/stores/${storeId}/receipts/`) && res.status() === 200);
  await byReceipt.getByRole('button', { name: 'Find the sale' }).click();
  await asked;
  await expect(page.getByTestId('return-against')).toBeVisible();
  // Three sold, one already back: two are left to return, at the sale's price.
  await expect(page.locator('.cart-line')).toHaveCount(1);
  await expect(quantityBox(page, item)).toHaveValue('2');
  await page.screenshot({ path: 'test-results/screenshots/return-older-receipt.png' });
  await page.getByRole('button', { name: `Remove ${item.nameEn}` }).click();
  await page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Sale' }).click();
});

test('the day book goes back as far as the phone keeps sales, and says where older days are', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'shopkeeper');
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Day book' }).click();
  const previous = page.getByRole('button', { name: 'Previous day' });
  // Today and the 34 days before it: 34 steps back, then no further.
  for (let i = 0; i < 34; i++) await previous.click();
  await expect(previous).toBeDisabled();
  await expect(page.getByTestId('oldest-day')).toHaveText('A phone keeps the last 35 days of the day book. Older days are in the owner’s sales reports.');
  await page.screenshot({ path: 'test-results/screenshots/day-book-oldest.png' });
  await page.getByRole('button', { name: 'Next day' }).click();
  await expect(previous).toBeEnabled();
  await expect(page.getByTestId('oldest-day')).toHaveCount(0);
});
