import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Operation, OperationDoc, PurchaseOperation } from '@bazaar/shared';
import { countRows, createProduct, createStore, eventsOf, eventsPublished, op, signIn, startHarness, stockOf, type ApiClient, type Harness } from '../../test/harness';

// Integration tests of the resolution rules (SPEC.md R1-R8) against real PostgreSQL.
let h: Harness;
let store: string;
let otherStore: string;
let owner: ApiClient;
let shopkeeper: ApiClient;

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Saddar');
  otherStore = await createStore(h.sql, 'Anarkali');
  owner = await signIn(h, 'owner', [store]);
  shopkeeper = await signIn(h, 'shopkeeper', [store]);
});
afterAll(() => h?.close());

async function stocked(quantity: number): Promise<string> {
  const product = await createProduct(h.sql);
  const res = await owner.push([op.purchase(store, [{ productId: product, quantity }])]);
  expect(res.status).toBe(200);
  return product;
}

describe('push', () => {
  it('records a sale: stock drops, one movement, its events in the log, and the books worker keeps the sale with its lines', async () => {
    const product = await stocked(10);
    const sale = op.sale(store, [{ productId: product, quantity: 3, unitPrice: 120 }]);
    const res = await shopkeeper.push([sale]);
    expect(res).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 7, version: 2 });
    expect(await countRows(h.sql, 'movements', 'operation_id = $1', [sale.id])).toBe(1);
    expect((await eventsOf(h, sale.id)).map((e) => e.topic)).toEqual(['inventory.movements', 'sales.recorded']);
    await eventsPublished(h);
    const { rows } = await h.sql.query('SELECT total::float8 AS total, payment_method FROM sales WHERE operation_id = $1', [sale.id]);
    expect(rows).toEqual([{ total: 360, payment_method: 'cash' }]);
    expect(await countRows(h.sql, 'sale_lines', 'operation_id = $1', [sale.id])).toBe(1);
  });

  it('R1 a retried push changes nothing and keeps the first outcome', async () => {
    const product = await stocked(5);
    const sale = op.sale(store, [{ productId: product, quantity: 2 }]);
    await shopkeeper.push([sale]);
    // The retry says something else under the same id: the first version stands.
    const retry = { ...sale, lines: [{ productId: product, quantity: 4, unitPrice: 100 }] } as typeof sale;
    const again = await shopkeeper.push([retry, sale]);
    expect(again).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 3, version: 2 });
    expect(await countRows(h.sql, 'movements', 'operation_id = $1', [sale.id])).toBe(1);
    await eventsPublished(h);
    expect(await countRows(h.sql, 'sales', 'operation_id = $1', [sale.id])).toBe(1);
  });

  it('R1 the same operation pushed from two tabs at once is applied once', async () => {
    const product = await stocked(5);
    const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
    const results = await Promise.all(Array.from({ length: 8 }, () => shopkeeper.push([sale])));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 4, version: 2 });
    expect(await countRows(h.sql, 'movements', 'operation_id = $1', [sale.id])).toBe(1);
  });

  it('R2 two devices selling the same product offline both apply, in either order, exactly', async () => {
    const product = await stocked(10);
    const phone = op.sale(store, [{ productId: product, quantity: 2.5 }], 'phone');
    const tablet = op.sale(store, [{ productId: product, quantity: 4 }], 'tablet');
    const results = await Promise.allSettled([shopkeeper.push([phone]), owner.push([tablet])]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.status === 200)).toBe(true);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 3.5, version: 3 });
  });

  it('R3 a sale beyond stock is applied and flagged as a discrepancy, on the outcome and in an event', async () => {
    const product = await stocked(1);
    const sale = op.sale(store, [{ productId: product, quantity: 3 }]);
    expect((await shopkeeper.push([sale])).status).toBe(200);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: -2, version: 2 });
    const { rows } = await h.sql.query('SELECT status, discrepancy, reason FROM operations WHERE id = $1', [sale.id]);
    expect(rows).toEqual([{ status: 'applied', discrepancy: true, reason: 'negative_stock' }]);
    expect((await eventsOf(h, sale.id)).filter((e) => e.topic === 'inventory.discrepancies')).toHaveLength(1);
  });

  it('R4 a count is rebased on the version it was taken at', async () => {
    const product = await stocked(50); // version 1: 50
    // The tablet counts 48 at version 1, but before it syncs the phone sells 4.
    const count = op.count(store, product, 48, 1);
    await shopkeeper.push([op.sale(store, [{ productId: product, quantity: 4 }])]); // version 2: 46
    expect((await owner.push([count])).status).toBe(200);
    // 2 were missing at the count; 46 - 2 = 44.
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 44, version: 3 });
    const { rows } = await h.sql.query('SELECT delta::float8 AS delta, base_version FROM movements WHERE operation_id = $1', [count.id]);
    expect(rows).toEqual([{ delta: -2, base_version: 1 }]);
  });

  it('R5 a stale store product edit conflicts and returns the current master state', async () => {
    const product = await createProduct(h.sql);
    const first = op.price(store, product, 0, 150);
    expect(await owner.push([first])).toMatchObject({ status: 200, body: [] });
    const stale = op.price(store, product, 0, 140);
    const res = await owner.push([stale]);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({
      id: stale.id,
      changes: { price: 140 },
      outcome: { status: 'rejected', reason: 'stale_version', current: { price: 150, version: 1 } },
    });
    const { rows } = await h.sql.query('SELECT price::float8 AS price, version FROM store_products WHERE product_id = $1', [product]);
    expect(rows).toEqual([{ price: 150, version: 1 }]);
    // A retry of the stale edit gets the same conflict, not a second outcome.
    expect((await owner.push([stale])).body).toMatchObject([{ id: stale.id, outcome: { reason: 'stale_version' } }]);
  });

  it('R6 impossible operations are refused with a reason, kept, and the rest of the batch applies', async () => {
    const product = await stocked(10);
    const unknown = op.sale(store, [{ productId: randomUUID(), quantity: 1 }]);
    const zero = op.sale(store, [{ productId: product, quantity: 0 }]);
    const badCount = op.count(store, product, 5, 99);
    const good = op.sale(store, [{ productId: product, quantity: 1 }]);
    const res = await owner.push([unknown, zero, badCount, good]);
    expect(res).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 9, version: 2 });
    const { rows } = await h.sql.query(
      'SELECT operation_id, reason FROM rejected_operations WHERE operation_id = ANY($1::uuid[]) ORDER BY reason COLLATE "C"',
      [[unknown.id, zero.id, badCount.id, good.id]],
    );
    expect(rows).toEqual([
      { operation_id: zero.id, reason: 'invalid_quantity' },
      { operation_id: badCount.id, reason: 'unknown_base_version' },
      { operation_id: unknown.id, reason: 'unknown_product' },
    ]);
    const pulled = await owner.pull('operations');
    const doc = pulled.body.documents.find((d: { id: string }) => d.id === unknown.id);
    expect(doc.outcome).toMatchObject({ status: 'rejected', discrepancy: false, reason: 'unknown_product' });
    expect(doc.outcome.message).toMatch(/not in the catalog/);
  });

  it('R7 an operation for a store the user does not belong to refuses the whole push, writing nothing', async () => {
    const product = await stocked(10);
    const mine = op.sale(store, [{ productId: product, quantity: 1 }]);
    const theirs = op.sale(otherStore, [{ productId: product, quantity: 1 }]);
    const res = await shopkeeper.push([mine, theirs]);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 'error', reason: 'forbidden' });
    expect(await countRows(h.sql, 'operations', 'id = ANY($1::uuid[])', [[mine.id, theirs.id]])).toBe(0);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 10, version: 1 });
  });

  it('R7 a role that may not push an operation type is refused (a shopkeeper adjusting stock)', async () => {
    const product = await stocked(10);
    const res = await shopkeeper.push([op.adjustment(store, product, -2)]);
    expect(res.status).toBe(403);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 10, version: 1 });
  });

  it('R7 a malformed push is answered 400 naming the problem, and nothing of it is written', async () => {
    const product = await stocked(10);
    const good = op.sale(store, [{ productId: product, quantity: 1 }]);
    const bad = { ...op.sale(store, [{ productId: product, quantity: 1 }]), lines: [{ productId: product, quantity: '1' }] };
    const res = await shopkeeper.request('POST', '/api/sync/operations/push', [
      { newDocumentState: good, assumedMasterState: null },
      { newDocumentState: bad, assumedMasterState: null },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', reason: 'malformed_request' });
    expect(res.body.message).toMatch(/1\.newDocumentState\.lines\.0\.quantity/);
    expect(await countRows(h.sql, 'operations', 'id = $1', [good.id])).toBe(0);

    const notJson = await shopkeeper.request('POST', '/api/sync/operations/push', '[{"newDocumentState": ');
    expect(notJson).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
  });

  it('R8 a store’s operations in a push are one transaction: when a write fails, nothing of them stays', async () => {
    const product = await stocked(10);
    const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
    // A movement row already holding the version this sale would write makes the batch fail at commit time.
    await h.sql.query(
      `INSERT INTO operations (id, store_id, device_id, user_id, type, payload, status, created_at)
       VALUES ($1, $2, 'x', $3, 'adjustment', '{}', 'applied', now())`,
      [randomUUID(), store, owner.userId],
    );
    const opId = (await h.sql.query(`SELECT id FROM operations WHERE device_id = 'x' AND store_id = $1`, [store])).rows[0].id;
    await h.sql.query(
      `INSERT INTO movements (operation_id, line_no, store_id, product_id, type, delta, resulting_quantity, resulting_version,
                              device_id, user_id, client_time) VALUES ($1, 0, $2, $3, 'adjustment', 0, 10, 2, 'x', $4, now())`,
      [opId, store, product, owner.userId],
    );
    const res = await shopkeeper.push([sale]);
    expect(res.status).toBe(500);
    expect(await countRows(h.sql, 'operations', 'id = $1', [sale.id])).toBe(0);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 10, version: 1 });
  });

  it('R8 a push for two stores is a transaction per store: when the second fails the first stays, and the retry applies the rest once', async () => {
    const product = await createProduct(h.sql);
    // Stores are applied in id order: `second` is the one whose transaction is made to fail.
    const [first, second] = (await Promise.all([createStore(h.sql, 'Liberty'), createStore(h.sql, 'Ichhra')])).sort() as [string, string];
    const both = await signIn(h, 'owner', [first, second]);
    expect((await both.push([op.purchase(first, [{ productId: product, quantity: 10 }]), op.purchase(second, [{ productId: product, quantity: 10 }])])).status).toBe(200);
    // A movement holding the version the second store's sale would write makes that store's transaction fail.
    const blocker = randomUUID();
    await h.sql.query(
      `INSERT INTO operations (id, store_id, device_id, user_id, type, payload, status, created_at)
       VALUES ($1, $2, 'x', $3, 'adjustment', '{}', 'applied', now())`,
      [blocker, second, both.userId],
    );
    await h.sql.query(
      `INSERT INTO movements (operation_id, line_no, store_id, product_id, type, delta, resulting_quantity, resulting_version,
                              device_id, user_id, client_time) VALUES ($1, 0, $2, $3, 'adjustment', 0, 10, 2, 'x', $4, now())`,
      [blocker, second, product, both.userId],
    );
    const sales = [op.sale(second, [{ productId: product, quantity: 1 }]), op.sale(first, [{ productId: product, quantity: 1 }])];
    expect((await both.push(sales)).status).toBe(500);
    expect(await stockOf(h.sql, first, product)).toEqual({ quantity: 9, version: 2 });
    expect(await stockOf(h.sql, second, product)).toEqual({ quantity: 10, version: 1 });

    // Once the obstacle is gone, the device's retry of the whole push applies the second store's sale; the first's is a retry.
    await h.sql.query('UPDATE stock SET version = 2 WHERE store_id = $1 AND product_id = $2', [second, product]);
    expect(await both.push(sales)).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, first, product)).toEqual({ quantity: 9, version: 2 });
    expect(await stockOf(h.sql, second, product)).toEqual({ quantity: 9, version: 3 });
    for (const sale of sales) expect(await countRows(h.sql, 'movements', 'store_id = $1 AND operation_id = $2', [sale.storeId, sale.id])).toBe(1);
  });

  it('R8 concurrent pushes from many stores and devices neither deadlock nor lose a sale', async () => {
    const stores = await Promise.all(Array.from({ length: 6 }, (_, i) => createStore(h.sql, `Store ${i}`)));
    const products = await Promise.all(Array.from({ length: 4 }, () => createProduct(h.sql)));
    const multi = await signIn(h, 'owner', stores);
    // Each push touches several stores and products in a different order.
    const pushes = Array.from({ length: 40 }, (_, i) =>
      multi.push(
        [...stores].sort(() => (i % 2 ? 1 : -1)).map((s, j) =>
          op.sale(s, [
            { productId: products[(i + j) % 4]!, quantity: 1 },
            { productId: products[(i + j + 1) % 4]!, quantity: 1 },
          ]),
        ),
      ),
    );
    const results = await Promise.allSettled(pushes);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : r.reason))).toEqual(Array(40).fill(200));
    const { rows } = await h.sql.query('SELECT sum(quantity)::float8 AS total FROM stock WHERE store_id = ANY($1::uuid[])', [stores]);
    expect(rows[0].total).toBe(-40 * 6 * 2);
  });

  it('R10 numbers beyond the limits are refused as out_of_range, kept, and the rest of the batch applies', async () => {
    const product = await stocked(10);
    const barcodeAsQuantity = op.sale(store, [{ productId: product, quantity: 8964000123456 }]);
    const hugePrice = op.sale(store, [{ productId: product, quantity: 1, unitPrice: 1e10 }]);
    const hugeVersion = op.count(store, product, 5, 2 ** 31);
    const hugeEdit = op.price(store, product, 2 ** 31, 10);
    const hugeTotal = op.sale(store, [{ productId: product, quantity: 999_999, unitPrice: 9_999_999 }, { productId: product, quantity: 999_999, unitPrice: 9_999_999 }]);
    const unsetClock = { ...op.sale(store, [{ productId: product, quantity: 1 }]), createdAt: '1970-01-01T00:00:00.000Z' };
    const good = op.sale(store, [{ productId: product, quantity: 1 }]);
    const refused = [barcodeAsQuantity, hugePrice, hugeVersion, hugeEdit, hugeTotal, unsetClock];
    const res = await owner.push([...refused, good]);
    expect(res).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 9, version: 2 });
    const { rows } = await h.sql.query('SELECT operation_id, reason FROM rejected_operations WHERE operation_id = ANY($1::uuid[])', [refused.map((o) => o.id)]);
    expect(rows.map((r) => r.reason)).toEqual(refused.map(() => 'out_of_range'));
    const pulled = (await owner.pull('operations', null, 2000)).body.documents as OperationDoc[];
    const doc = pulled.find((d) => d.id === barcodeAsQuantity.id);
    expect(doc?.outcome).toMatchObject({ status: 'rejected', reason: 'out_of_range' });
    expect(doc?.outcome.message).toMatch(/1,000,000/);
  });

  it('R10 a stock level never leaves the range, whatever sequence of movements arrives', async () => {
    const product = await createProduct(h.sql);
    // Received free (unit cost 0), so only the stock level can overflow.
    const bulk = (): Operation => ({ ...(op.purchase(store, []) as PurchaseOperation), lines: Array.from({ length: 500 }, () => ({ productId: product, quantity: 1_000_000, unitCost: 0 })) });
    const [first, second, third] = [bulk(), bulk(), bulk()];
    expect((await owner.push([first, second, third])).status).toBe(200);
    expect(await stockOf(h.sql, store, product)).toMatchObject({ quantity: 1_000_000_000 });
    const { rows } = await h.sql.query('SELECT reason FROM operations WHERE id = $1', [third.id]);
    expect(rows).toEqual([{ reason: 'out_of_range' }]);
  });

  it('R10 text or a time the database cannot store is a 400 naming the row, and nothing of the batch is written', async () => {
    const product = await stocked(10);
    const good = op.sale(store, [{ productId: product, quantity: 1 }]);
    const credit = (name: string) => ({ ...op.sale(store, [{ productId: product, quantity: 1 }]), payment: { method: 'credit', customer: { name } } });
    const cases = [
      credit('Aslam\u0000'),
      credit('Aslam \ud800'),
      { ...good, id: randomUUID(), createdAt: '0000-01-01T00:00:00.000Z' },
      { ...good, id: randomUUID(), createdAt: '2026-11-24T10:00:00+23:59' },
      { ...good, id: randomUUID(), deviceId: 'phone\u0000' },
    ];
    for (const bad of cases) {
      const res = await shopkeeper.request('POST', '/api/sync/operations/push', [
        { newDocumentState: good, assumedMasterState: null },
        { newDocumentState: bad, assumedMasterState: null },
      ]);
      expect(res, JSON.stringify(bad)).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
      expect(res.body.message).toMatch(/ 1\.newDocumentState\./);
    }
    expect(await countRows(h.sql, 'operations', 'id = $1', [good.id])).toBe(0);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 10, version: 1 });
  });

  it('R11 ids are scoped by store: an id another store holds is a new operation of the second store, and no answer holds the other store’s document', async () => {
    const product = await stocked(10);
    const strangerOwner = await signIn(h, 'owner', [otherStore]);
    const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
    expect((await shopkeeper.push([sale])).status).toBe(200);
    // A stale price edit in the first store: its retry answers the conflict's master document.
    await owner.push([op.price(store, product, 0, 120)]);
    const stale = op.price(store, product, 0, 130);
    expect((await owner.push([stale])).body).toHaveLength(1);

    const copySale = { ...op.purchase(otherStore, [{ productId: product, quantity: 5 }]), id: sale.id };
    const copyEdit = { ...op.price(otherStore, product, 0, 99), id: stale.id };
    expect(await strangerOwner.push([copySale, copyEdit])).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, otherStore, product)).toEqual({ quantity: 5, version: 1 });

    const theirs = (await strangerOwner.pull('operations', null, 2000)).body.documents as OperationDoc[];
    expect(theirs.filter((d) => d.id === sale.id || d.id === stale.id).map((d) => [d.id, d.type, d.storeId, d.outcome.status, d.outcome.userId])).toEqual(
      expect.arrayContaining([
        [sale.id, 'purchase', otherStore, 'applied', strangerOwner.userId],
        [stale.id, 'store_product_update', otherStore, 'applied', strangerOwner.userId],
      ]),
    );
    expect(theirs.every((d) => d.storeId === otherStore)).toBe(true);
    // The first store's operations are as they were, and its conflict still answers its own master document.
    const ours = (await owner.pull('operations', null, 2000)).body.documents as OperationDoc[];
    expect(ours.filter((d) => d.id === sale.id)).toEqual([expect.objectContaining({ type: 'sale', storeId: store, outcome: expect.objectContaining({ status: 'applied' }) })]);
    const conflict = (await owner.push([stale])).body as OperationDoc[];
    expect(conflict.map((d) => [d.storeId, d.outcome.reason])).toEqual([[store, 'stale_version']]);
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 9, version: 2 });
    // A retry in the second store keeps its first outcome.
    expect((await strangerOwner.push([copySale])).status).toBe(200);
    expect(await stockOf(h.sql, otherStore, product)).toEqual({ quantity: 5, version: 1 });
    expect(await countRows(h.sql, 'operations', 'id = $1', [sale.id])).toBe(2);
  });

  it('R11 a batch for two stores is applied store by store: the same id in both is two operations, each in its own books', async () => {
    const product = await createProduct(h.sql);
    const both = await signIn(h, 'owner', [store, otherStore]);
    const first = op.purchase(store, [{ productId: product, quantity: 4 }]);
    const second = { ...op.purchase(otherStore, [{ productId: product, quantity: 6 }]), id: first.id };
    // The second store first in the batch: each store's operations are applied apart, in the order pushed.
    expect(await both.push([second, first, first])).toMatchObject({ status: 200, body: [] });
    expect(await stockOf(h.sql, store, product)).toEqual({ quantity: 4, version: 1 });
    expect(await stockOf(h.sql, otherStore, product)).toEqual({ quantity: 6, version: 1 });
    const { rows } = await h.sql.query('SELECT store_id, status FROM operations WHERE id = $1 ORDER BY store_id = $2 DESC', [first.id, store]);
    expect(rows).toEqual([
      { store_id: store, status: 'applied' },
      { store_id: otherStore, status: 'applied' },
    ]);
    await eventsPublished(h);
    const books = await h.sql.query(
      `SELECT p.store_id, l.quantity::float8 AS quantity FROM purchases p JOIN purchase_lines l USING (store_id, operation_id)
        WHERE p.operation_id = $1 ORDER BY p.store_id = $2 DESC`,
      [first.id, store],
    );
    expect(books.rows).toEqual([
      { store_id: store, quantity: 4 },
      { store_id: otherStore, quantity: 6 },
    ]);
  });

  it('refuses UPDATE and DELETE on the movement log', async () => {
    await stocked(1);
    await expect(h.sql.query('UPDATE movements SET delta = 0')).rejects.toThrow(/append-only/);
    await expect(h.sql.query('DELETE FROM movements')).rejects.toThrow(/append-only/);
  });
});
