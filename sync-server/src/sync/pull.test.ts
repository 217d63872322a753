import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PROJECTION_APPLICATION_NAME } from '@bazaar/workers';
import { createTestDatabase } from '../../test/services';
import { createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';
import { randomUUID } from 'node:crypto';
import { OperationDoc, PROTOCOL_HEADER, pulledWhateverItsAge, type Operation, type OperationOutcome } from '@bazaar/shared';

// Pull rules (SPEC.md P1-P5) against real PostgreSQL.
let h: Harness;
let store: string;
let otherStore: string;
let owner: ApiClient;
let stranger: ApiClient;

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql);
  otherStore = await createStore(h.sql);
  owner = await signIn(h, 'owner', [store]);
  stranger = await signIn(h, 'owner', [otherStore]);
});
afterAll(() => h?.close());

/** Pulls until a page is shorter than the limit, as RxDB does. */
async function pullAll(client: ApiClient, collection: string, checkpoint: object | null = null, limit = 3) {
  const documents: { id: string }[] = [];
  for (;;) {
    const res = await client.pull(collection, checkpoint, limit);
    expect(res.status).toBe(200);
    documents.push(...res.body.documents);
    checkpoint = res.body.checkpoint;
    if (res.body.documents.length < limit) return { documents, checkpoint };
  }
}

describe('pull', () => {
  it('P1 pages through every change exactly once, and an up-to-date checkpoint returns nothing', async () => {
    const products = await Promise.all(Array.from({ length: 7 }, () => createProduct(h.sql)));
    await owner.push([op.purchase(store, products.map((productId) => ({ productId, quantity: 5 })))]);
    const first = await pullAll(owner, 'stock');
    expect(first.documents.map((d) => d.id).sort()).toEqual(products.map((p) => `${store}:${p}`).sort());
    expect(first.documents[0]).toMatchObject({ storeId: store, quantity: 5, version: 1, _deleted: false });
    const again = await owner.pull('stock', first.checkpoint);
    expect(again.body).toEqual({ documents: [], checkpoint: first.checkpoint });

    // A later change to one of them comes back once, after the checkpoint.
    await owner.push([op.sale(store, [{ productId: products[3]!, quantity: 2 }])]);
    const next = await pullAll(owner, 'stock', first.checkpoint);
    expect(next.documents).toMatchObject([{ id: `${store}:${products[3]}`, quantity: 3, version: 2 }]);
  });

  it('P2 only the caller\'s stores are pulled', async () => {
    const product = await createProduct(h.sql);
    await stranger.push([op.purchase(otherStore, [{ productId: product, quantity: 9 }])]);
    const mine = await pullAll(owner, 'stock');
    expect(mine.documents.some((d) => d.id.startsWith(otherStore))).toBe(false);
    const ops = await pullAll(owner, 'operations');
    expect(ops.documents.some((d) => (d as unknown as { storeId: string }).storeId === otherStore)).toBe(false);
  });

  it('P3 a change that commits after a later one is not skipped by the checkpoint', async () => {
    const [slow, fast] = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
    await owner.push([op.purchase(store, [{ productId: slow, quantity: 1 }, { productId: fast, quantity: 1 }])]);
    const start = (await pullAll(owner, 'stock')).checkpoint;

    // A transaction writes `slow` first and stays open while another one
    // writes `fast` and commits: `fast` is newer by every clock and sequence.
    const late = await h.sql.connect();
    try {
      await late.query('BEGIN');
      await late.query(`UPDATE stock SET quantity = 42, version = version + 1 WHERE store_id = $1 AND product_id = $2`, [store, slow]);
      await owner.push([op.sale(store, [{ productId: fast, quantity: 1 }])]);
      const during = await pullAll(owner, 'stock', start);
      // Held back: returning `fast` now would move the checkpoint past `slow`.
      expect(during.documents).toEqual([]);
      await late.query('COMMIT');
    } finally {
      // Never back to the pool inside the transaction: it would hold back every later pull of this file.
      await late.query('ROLLBACK').catch(() => {});
      late.release();
    }
    const after = await pullAll(owner, 'stock', start);
    expect(after.documents.map((d) => d.id).sort()).toEqual([`${store}:${slow}`, `${store}:${fast}`].sort());
  });

  it('P3 a transaction left open in another database of the cluster does not hold pulls back', async () => {
    const elsewhere = await createTestDatabase();
    const other = new pg.Client({ connectionString: elsewhere.url });
    await other.connect();
    try {
      await other.query('CREATE TABLE t (x int)');
      await other.query('BEGIN');
      await other.query('INSERT INTO t VALUES (1)'); // holds an xid until rolled back
      const product = await createProduct(h.sql);
      await owner.push([op.purchase(store, [{ productId: product, quantity: 3 }])]);
      // Were the other database's transaction counted, this row would be held back until it ends.
      const res = await owner.pull('stock', null, 2000);
      expect(res.body.documents.some((d: { id: string }) => d.id === `${store}:${product}`)).toBe(true);
      await other.query('ROLLBACK');
    } finally {
      await other.end();
      await elsewhere.drop();
    }
  });

  it("P3 a worker's open transaction does not hold pulls back (it writes no pulled table); anyone else's does", async () => {
    const hold = async (applicationName: string, check: (seen: boolean) => void) => {
      const writer = new pg.Client({ connectionString: h.database.url, application_name: applicationName });
      await writer.connect();
      try {
        await writer.query('BEGIN');
        await writer.query(`INSERT INTO processed_events (consumer, event_id) VALUES ('p3-test', gen_random_uuid())`); // takes an xid
        const product = await createProduct(h.sql);
        await owner.push([op.purchase(store, [{ productId: product, quantity: 3 }])]);
        const res = await owner.pull('stock', null, 2000);
        check(res.body.documents.some((d: { id: string }) => d.id === `${store}:${product}`));
        await writer.query('ROLLBACK');
      } finally {
        await writer.end();
      }
    };
    await hold(PROJECTION_APPLICATION_NAME, (seen) => expect(seen).toBe(true));
    // The control: the same open write under another name holds the new row back (the pull waits 2 s, then answers without it).
    await hold('someone-else', (seen) => expect(seen).toBe(false));
  });

  it('P4 a pulled operation is the device’s document as written, with the outcome beside it', async () => {
    const product = await createProduct(h.sql);
    const sale = op.sale(store, [{ productId: product, quantity: 2 }]);
    const damage = op.adjustment(store, product, -1);
    await owner.push([sale, damage]);
    const { documents } = await pullAll(owner, 'operations', null, 500);
    const pulledSale = OperationDoc.parse(documents.find((d) => d.id === sale.id));
    const { outcome, updatedAt: _u, _deleted, ...asWritten } = pulledSale;
    expect(asWritten).toEqual(sale);
    expect(outcome).toMatchObject({ status: 'applied', discrepancy: true, reason: 'negative_stock', current: null, resolution: null, userId: owner.userId });
    // The adjustment keeps its own reason; the outcome has its own.
    expect(OperationDoc.parse(documents.find((d) => d.id === damage.id))).toMatchObject({ reason: 'damage', outcome: { status: 'applied', reason: 'negative_stock' } });

    // An app of protocol 6 is sent the outcome merged in, the adjustment's own reason aside, as it read it.
    const older = await owner.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '6' });
    const olderDamage = (older.body.documents as Record<string, unknown>[]).find((d) => d.id === damage.id);
    expect(olderDamage).toMatchObject({ status: 'applied', discrepancy: true, reason: 'negative_stock', adjustmentReason: 'damage', userId: owner.userId });
    expect(olderDamage).not.toHaveProperty('outcome');
    expect(olderDamage).not.toHaveProperty('current');
  });

  it('P5 products and store products are pulled; timestamps come from the server', async () => {
    const product = await createProduct(h.sql, { price: 250 });
    const before = Date.now();
    await owner.push([{ ...op.price(store, product, 0, 275), createdAt: '2001-01-01T00:00:00.000Z' }]);
    const catalog = await pullAll(owner, 'products', null, 1000);
    expect(catalog.documents.find((d) => d.id === product)).toMatchObject({ defaultPrice: 250, _deleted: false });
    const settings = await pullAll(owner, 'store-products');
    const doc = settings.documents.find((d) => d.id === `${store}:${product}`) as unknown as { price: number; updatedAt: string };
    expect(doc.price).toBe(275);
    // The device said 2001; the server's clock decides.
    expect(Date.parse(doc.updatedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('P7 a device pulls the last weeks of operations; older ones only when its books need them or they were refused or flagged', async () => {
    const shop = await createStore(h.sql);
    const keeper = await signIn(h, 'owner', [shop]);
    const [product, unsold] = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
    // A purchase that names no supplier is no book's.
    const stocked = op.purchase(shop, [{ productId: product, quantity: 5 }]);
    delete (stocked as { supplier?: string }).supplier;
    const old = {
      cash: op.sale(shop, [{ productId: product, quantity: 1 }]),
      credit: { ...op.sale(shop, [{ productId: product, quantity: 1 }]), payment: { method: 'credit' as const, customer: { name: 'Bilal' } } },
      fromSupplier: op.purchase(shop, [{ productId: product, quantity: 2 }]),
      flagged: op.sale(shop, [{ productId: unsold, quantity: 1 }]),
      refused: op.sale(shop, [{ productId: randomUUID(), quantity: 1 }]),
      damaged: op.adjustment(shop, product, -1),
      price: op.price(shop, product, 0, 90),
    };
    expect((await keeper.push([stocked, ...Object.values(old)])).status).toBe(200);
    // A phone that synced while all of it was new.
    const held = await pullAll(keeper, 'operations', null, 50);
    expect(held.documents).toHaveLength(8);

    // Forty days pass: the rows age without being changed (the trigger would move their txid).
    const aging = await h.sql.connect();
    try {
      await aging.query('BEGIN');
      await aging.query('ALTER TABLE operations DISABLE TRIGGER operations_touch');
      await aging.query(`UPDATE operations SET received_at = now() - interval '40 days' WHERE store_id = $1`, [shop]);
      await aging.query('ALTER TABLE operations ENABLE TRIGGER operations_touch');
      await aging.query('COMMIT');
    } finally {
      aging.release();
    }
    const recent = op.sale(shop, [{ productId: product, quantity: 1 }]);
    expect((await keeper.push([recent])).status).toBe(200);

    // A new phone gets the recent sale and, of the old, the books' and the refused or flagged.
    const fresh = await pullAll(keeper, 'operations', null, 2);
    const ids = fresh.documents.map((d) => d.id).sort();
    expect(ids).toEqual([recent.id, old.credit.id, old.fromSupplier.id, old.flagged.id, old.refused.id].sort());
    // The server's filter and the shared rule say the same of every operation.
    for (const doc of held.documents as unknown as (Operation & { outcome: OperationOutcome })[]) {
      expect([doc.id, ids.includes(doc.id)]).toEqual([doc.id, pulledWhateverItsAge(doc, doc.outcome)]);
    }

    // The phone that held them all gets the new sale, and keeps what it has.
    const next = await pullAll(keeper, 'operations', held.checkpoint, 50);
    expect(next.documents.map((d) => d.id)).toEqual([recent.id]);
  });

  it('answers 400 for a bad checkpoint, limit or collection', async () => {
    expect((await owner.pull('stock', { txid: 'x', id: '' })).status).toBe(400);
    expect((await owner.request('GET', '/api/sync/stock/pull?checkpoint=%7Bnot-json')).body).toMatchObject({ reason: 'malformed_request' });
    expect((await owner.request('GET', '/api/sync/stock/pull?limit=0')).status).toBe(400);
    expect((await owner.request('GET', '/api/sync/secrets/pull')).status).toBe(400);
  });

  it('the first sync’s size is what a full pull gives a device to keep, for its own stores only', async () => {
    const products = await Promise.all(Array.from({ length: 3 }, () => createProduct(h.sql)));
    await owner.push([op.purchase(store, products.map((productId) => ({ productId, quantity: 2 })))]);
    const size = await owner.request('GET', `/api/stores/${store}/sync-size`);
    expect(size.status).toBe(200);
    const kept = (docs: object[]) => docs.filter((d) => !(d as { _deleted?: boolean })._deleted).length;
    expect(size.body).toEqual({
      products: kept((await pullAll(owner, 'products', null, 500)).documents),
      stock: kept((await pullAll(owner, 'stock', null, 500)).documents),
    });
    expect(size.body.stock).toBeGreaterThanOrEqual(3);
    expect((await stranger.request('GET', `/api/stores/${store}/sync-size`)).status).toBe(403);
  });
});
