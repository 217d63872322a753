import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDoc, AlertList, Checkpoint, Operation, PullResponse } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, stockOf, type ApiClient, type Harness, eventsPublished } from '../../../sync-server/test/harness';
import { tickAll } from '../runtime/worker';
import { alertsWorker, STORE_SILENT_AFTER_MS } from './alerts-worker';

// The alerts worker in process (no Kafka), fed by a real server's relay, and GET /api/alerts.
let h: Harness;
let store: string;
let owner: ApiClient;
let shopkeeper: ApiClient;

const alerts = (client: ApiClient, status = 'open') =>
  client.request('GET', `/api/alerts?storeId=${store}&status=${status}`) as Promise<{ status: number; body: AlertList }>;
const reorderAt = (productId: string, reorderLevel: number): Operation => ({ ...op.price(store, productId, 0, 100), changes: { reorderLevel } }) as Operation;

const pullAlerts = async (client: ApiClient, checkpoint: Checkpoint | null = null) => {
  const query = checkpoint ? `?checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}` : '';
  const res = await client.request('GET', `/api/sync/alerts/pull${query}`);
  expect(res.status).toBe(200);
  return res.body as PullResponse<AlertDoc>;
};

const open = async (productId: string) => (await alerts(owner)).body.alerts.filter((a) => a.productId === productId).map((a) => a.kind).sort();

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Gulberg');
  owner = await signIn(h, 'owner', [store]);
  shopkeeper = await signIn(h, 'shopkeeper', [store]);
});
afterAll(() => h?.close());

describe('alerts', () => {
  it('low stock opens once when a sale crosses the reorder level, stays one alert, and clears when a purchase arrives', async () => {
    const product = await createProduct(h.sql);
    expect((await owner.push([reorderAt(product, 5), op.purchase(store, [{ productId: product, quantity: 8 }])])).status).toBe(200);
    await eventsPublished(h);
    expect(await open(product)).toEqual([]);

    await shopkeeper.push([op.sale(store, [{ productId: product, quantity: 3 }])]);
    await eventsPublished(h);
    expect(await open(product)).toEqual(['low_stock']);
    const [first] = (await alerts(owner)).body.alerts.filter((a) => a.productId === product);
    expect(first?.detail).toMatchObject({ quantity: 5, reorderLevel: 5 });

    await shopkeeper.push([op.sale(store, [{ productId: product, quantity: 1 }])]);
    await eventsPublished(h);
    const still = (await alerts(owner)).body.alerts.filter((a) => a.productId === product);
    expect(still.map((a) => a.id)).toEqual([first!.id]);

    await owner.push([op.purchase(store, [{ productId: product, quantity: 10 }])]);
    await eventsPublished(h);
    expect(await open(product)).toEqual([]);
    const cleared = (await alerts(owner, 'cleared')).body.alerts.filter((a) => a.productId === product);
    expect(cleared).toEqual([expect.objectContaining({ id: first!.id, kind: 'low_stock', clearedAt: expect.any(String) })]);
  });

  it('one batch that opens, clears and opens again leaves the same history as one event at a time', async () => {
    const product = await createProduct(h.sql);
    // One push: its events reach the worker together.
    const pushed = await owner.push([
      reorderAt(product, 5),
      op.purchase(store, [{ productId: product, quantity: 8 }]),
      op.sale(store, [{ productId: product, quantity: 4 }]),
      op.purchase(store, [{ productId: product, quantity: 10 }]),
      op.sale(store, [{ productId: product, quantity: 11 }]),
      op.sale(store, [{ productId: product, quantity: 2 }]),
    ]);
    expect(pushed.status).toBe(200);
    await eventsPublished(h);
    const all = (await alerts(owner, 'all')).body.alerts.filter((a) => a.productId === product);
    const cleared = all.filter((a) => a.clearedAt !== null);
    const openNow = all.filter((a) => a.clearedAt === null);
    expect(cleared.map((a) => [a.kind, a.detail])).toEqual([['low_stock', { quantity: 14, reorderLevel: 5 }]]);
    expect(openNow.map((a) => [a.kind, a.detail])).toEqual([['low_stock', { quantity: 1, reorderLevel: 5 }]]);
  });

  it('a sale below zero opens negative stock; a count that disagrees opens a mismatch, and one that agrees clears it', async () => {
    const product = await createProduct(h.sql);
    await shopkeeper.push([op.sale(store, [{ productId: product, quantity: 2 }])]);
    await eventsPublished(h);
    expect(await open(product)).toEqual(['negative_stock']);

    const stock = (await stockOf(h.sql, store, product))!;
    await owner.push([op.count(store, product, 20, stock.version)]);
    await eventsPublished(h);
    expect(await open(product)).toEqual(['count_mismatch']);
    const [mismatch] = (await alerts(owner)).body.alerts.filter((a) => a.productId === product);
    expect(mismatch?.detail).toMatchObject({ difference: 22, countedQuantity: 20 });

    const counted = (await stockOf(h.sql, store, product))!;
    await owner.push([op.count(store, product, 20.5, counted.version)]);
    await eventsPublished(h);
    expect(await open(product)).toEqual([]);
  });

  it('a store with no event for a day is store_silent, by a timer; its next sale clears it', async () => {
    const quiet = await createStore(h.sql, 'Quiet Corner');
    const itsOwner = await signIn(h, 'owner', [quiet]);
    const product = await createProduct(h.sql);
    await itsOwner.push([op.purchase(quiet, [{ productId: product, quantity: 5 }])]);
    await eventsPublished(h);
    const silent = async () =>
      ((await itsOwner.request('GET', `/api/alerts?storeId=${quiet}`)).body as AlertList).alerts.filter((a) => a.kind === 'store_silent');

    await tickAll(h.server.db.pool, [alertsWorker], new Date(Date.now() + STORE_SILENT_AFTER_MS - 60_000));
    expect(await silent()).toEqual([]);
    const tomorrow = new Date(Date.now() + STORE_SILENT_AFTER_MS + 60_000);
    await tickAll(h.server.db.pool, [alertsWorker], tomorrow);
    await tickAll(h.server.db.pool, [alertsWorker], tomorrow);
    expect(await silent()).toEqual([expect.objectContaining({ storeId: quiet, productId: null, detail: expect.objectContaining({ silentHours: 24 }) })]);

    await itsOwner.push([op.sale(quiet, [{ productId: product, quantity: 1 }])]);
    await eventsPublished(h);
    expect(await silent()).toEqual([]);
  });

  it('devices pull their store’s alerts, then each opening and clearing after their checkpoint; old history only if they held it open', async () => {
    const product = await createProduct(h.sql);
    const other = await signIn(h, 'owner', [await createStore(h.sql, 'Next Door')]);
    await shopkeeper.push([op.sale(store, [{ productId: product, quantity: 1 }])]);
    await eventsPublished(h);
    const first = await pullAlerts(shopkeeper);
    const mine = first.documents.filter((d) => d.productId === product);
    expect(mine).toEqual([expect.objectContaining({ storeId: store, kind: 'negative_stock', clearedAt: null, _deleted: false })]);
    expect((await pullAlerts(other)).documents.filter((d) => d.storeId === store)).toEqual([]);

    // Cleared long ago, as far as the clock says: a device that held it open gets the clearing...
    await owner.push([op.purchase(store, [{ productId: product, quantity: 5 }])]);
    await eventsPublished(h);
    await h.sql.query(`UPDATE alerts SET cleared_at = now() - interval '8 days' WHERE id = $1`, [mine[0]!.id]);
    const next = await pullAlerts(shopkeeper, first.checkpoint);
    expect(next.documents.filter((d) => d.id === mine[0]!.id)).toEqual([expect.objectContaining({ clearedAt: expect.any(String) })]);
    // ...and a device pulling for the first time is not sent old history.
    expect((await pullAlerts(owner)).documents.map((d) => d.id)).not.toContain(mine[0]!.id);
  });

  it("only the store's own people see its alerts; bad input is a 400", async () => {
    const other = await signIn(h, 'owner', [await createStore(h.sql, 'Elsewhere')]);
    expect((await alerts(other)).status).toBe(403);
    expect((await alerts(shopkeeper)).status).toBe(200);
    expect((await owner.request('GET', `/api/alerts?storeId=${store}&status=maybe`)).status).toBe(400);
    expect((await owner.request('GET', '/api/alerts')).status).toBe(400);
  });
});
