import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, test, type Page } from '@playwright/test';
import { addToCart, apiLogin, apiPush, openTab, pendingBadge, quantityBox, recordSale, sellable, serverOperations, serverStock, signIn, whenOfflineReady } from './helpers';

// A device's history is bounded (SPEC.md P7): a phone signed in today does not
// pull a cash sale of forty days ago, and finds it by its receipt's number
// from the server when a customer brings the receipt back.
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Moves when the e2e server received one operation, as time would. Without
 * `resend` the operation is otherwise unchanged (its txid stays, so no
 * device pulls it again); with it, devices pull it again as if it had just
 * arrived with that time.
 */
async function shiftReceived(operationId: string, by: string, { resend = false } = {}): Promise<void> {
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
    if (!resend) await db.query('ALTER TABLE operations DISABLE TRIGGER operations_touch');
    const { rowCount } = await db.query(`UPDATE operations SET received_at = received_at + $2::interval WHERE id = $1`, [operationId, by]);
    expect(rowCount).toBe(1);
    if (!resend) await db.query('ALTER TABLE operations ENABLE TRIGGER operations_touch');
    await db.query('COMMIT');
  } finally {
    await db.end();
  }
}

const age = (operationId: string) => shiftReceived(operationId, '-40 days');

/** Records anywhere in the app's IndexedDB that stand for one of `ids`: a document, or RxDB's sync record of it. */
function heldOnPhone(page: Page, ids: string[]): Promise<Record<string, number>> {
  return page.evaluate(async (ids) => {
    const counts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('rxdb-dexie-')) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const records = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
          req.onerror = () => reject(req.error);
        });
        for (const record of records) {
          const id = (record.itemId ?? record.id) as string;
          if (id in counts) counts[id]!++;
        }
      }
      db.close();
    }
    return counts;
  }, ids);
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

test('forty days on, a phone drops the sales the server no longer sends it, from its documents and its sync records, keeps its books, and sends nothing back', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1, 25);
  if (!item) throw new Error('no product to sell');
  const fromOtherPhone = (fields: object) => ({ id: randomUUID(), storeId, deviceId: 'e2e-other-phone', createdAt: new Date().toISOString(), ...fields });
  const cashSale = (quantity: number) => fromOtherPhone({ type: 'sale', lines: [{ productId: item.productId, quantity, unitPrice: item.price }], payment: { method: 'cash' } });
  // Sold at another phone, and a customer added there: the udhaar book is worked out from every customer, whatever its age.
  const theirs = cashSale(1);
  const customer = fromOtherPhone({ type: 'customer', customerId: randomUUID(), name: 'Horizon Bibi' });
  await apiPush(request, token, [theirs, customer]);

  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await openTab(page, 'Sell');
  await addToCart(page, item, 1);
  await recordSale(page);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  const ours = (await serverOperations(request, token)).filter((op) => op.type === 'sale' && op.deviceId !== 'e2e-other-phone' && op.lines?.[0]?.productId === item.productId).at(-1)!;
  const ids = [ours.id, theirs.id, customer.id];
  await expect.poll(() => heldOnPhone(page, ids)).toEqual({ [ours.id]: 2, [theirs.id]: 2, [customer.id]: 2 });

  // Forty days pass on the server: the next thing it sends was received then.
  const later = cashSale(1);
  await apiPush(request, token, [later]);
  await shiftReceived(later.id, '40 days', { resend: true });
  // A second tab of the same phone is open: when the first restarts, this one leads, syncs and drops.
  const other = await page.context().newPage();
  await other.goto('/');
  await openTab(other, 'Sell');
  try {
    const pushed: string[] = [];
    page.context().on('request', (req) => {
      if (req.url().includes('/api/sync/operations/push')) pushed.push(req.postData() ?? '');
    });
    await page.reload();
    // After the first sync of the start, both sales go, document and sync record; the customer stays, and so does the newest sale.
    await expect.poll(() => heldOnPhone(page, [...ids, later.id]), { timeout: 30_000 }).toEqual({ [ours.id]: 0, [theirs.id]: 0, [customer.id]: 2, [later.id]: 2 });
    // Neither tab still shows the sale as on the phone: offline, its receipt is one to look up on the server.
    await page.context().setOffline(true);
    for (const tab of [other, page]) {
      await openTab(tab, 'Sell');
      await tab.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Return' }).click();
      const byReceipt = tab.getByRole('form', { name: 'Return by receipt number' });
      await byReceipt.getByLabel('Receipt number').fill(`#${ours.id.slice(0, 8).toUpperCase()}`);
      await byReceipt.getByRole('button', { name: 'Find the sale' }).click();
      await expect(byReceipt.getByRole('alert')).toContainText('not on this phone');
      await tab.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Sale' }).click();
    }
    await page.context().setOffline(false);
    await other.close();
    // Dropping is not deleting: nothing went to the server, which still holds each sale once.
    expect(pushed.filter((body) => body.includes(ours.id) || body.includes(theirs.id))).toEqual([]);
    const onServer = await serverOperations(request, token);
    expect(onServer.filter((op) => op.id === ours.id || op.id === theirs.id).map((op) => op.outcome.status)).toEqual(['applied', 'applied']);

    // The phone goes on selling.
    await openTab(page, 'Sell');
    await addToCart(page, item, 1);
    await recordSale(page);
    await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  } finally {
    await shiftReceived(later.id, '-40 days', { resend: true });
  }
});
