import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, SalesReport } from '@bazaar/shared';
import { countRows, createProduct, createStore, op, signIn, startHarness, untilProjected as until, type ApiClient, type Harness } from '../../test/harness';

// The analytics projector running in process (no Kafka configured), fed by the
// relay in its own transaction, and the report route over what it computed.
let h: Harness;
let store: string;
let otherStore: string;
let owner: ApiClient;
let rice: string;
let matches: string;

// 15:15 in Karachi (UTC+5) on 30 November, as the device recorded it.
const at = '2026-11-30T10:15:00.000Z';
const when = (operation: Operation): Operation => ({ ...operation, createdAt: at });
const report = (client: ApiClient, query: string) => client.request('GET', `/api/reports/sales?${query}`) as Promise<{ status: number; body: SalesReport }>;

beforeAll(async () => {
  h = await startHarness();
  [store, otherStore] = await Promise.all([createStore(h.sql, 'Saddar'), createStore(h.sql, 'Anarkali')]);
  [rice, matches] = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
  owner = await signIn(h, 'owner', [store]);
  const shopkeeper = await signIn(h, 'shopkeeper', [store]);
  // 10 bags of rice bought at Rs 80; sold 3 for cash and 2 on credit at Rs 120, with a box of matches
  // nobody bought (its cost is unknown); one bag of rice comes back.
  expect((await owner.push([when(op.purchase(store, [{ productId: rice, quantity: 10 }]))])).status).toBe(200);
  const cash = when(op.sale(store, [{ productId: rice, quantity: 3, unitPrice: 120 }]));
  const credit = { ...when(op.sale(store, [{ productId: rice, quantity: 2, unitPrice: 120 }, { productId: matches, quantity: 1, unitPrice: 50 }])), payment: { method: 'credit' as const, customer: { name: 'Ali' } } };
  const back = when({ ...op.sale(store, [{ productId: rice, quantity: 1, unitPrice: 120 }]), type: 'return' } as Operation);
  delete (back as { payment?: unknown }).payment;
  expect((await shopkeeper.push([cash, credit, back])).status).toBe(200);
});
afterAll(() => h?.close());

describe('GET /api/reports/sales over the in-process analytics projector', () => {
  it('sums a day exactly: sales, units, revenue, cost of the units a purchase gave a cost, margin, cash against credit, returns apart', async () => {
    const { body } = await until(() => report(owner, `storeIds=${store}&from=2026-11-30&to=2026-11-30`), (r) => r.body.rows?.[0]?.returns === 1);
    expect(body.rows).toEqual([
      { key: '2026-11-30', sales: 2, units: 6, revenue: 650, cost: 400, margin: 200, cash: 360, credit: 290, returns: 1, returnedUnits: 1, refunds: 120 },
    ]);
    expect(body.asOf).not.toBeNull();
  });

  it('groups by hour (the store’s local hour), product and store', async () => {
    const query = `storeIds=${store}&from=2026-11-30&to=2026-11-30`;
    expect((await report(owner, `${query}&groupBy=hour`)).body.rows.map((r) => r.key)).toEqual(['2026-11-30T15']);
    const products = (await report(owner, `${query}&groupBy=product`)).body.rows;
    expect(products.find((r) => r.key === rice)).toMatchObject({ sales: 2, units: 5, revenue: 600, cost: 400, margin: 200 });
    expect(products.find((r) => r.key === matches)).toMatchObject({ sales: 1, units: 1, revenue: 50, cost: 0, margin: 0 });
    expect((await report(owner, `${query}&groupBy=store`)).body.rows).toEqual([expect.objectContaining({ key: store, revenue: 650 })]);
    expect((await report(owner, `storeIds=${store}&from=2026-12-01&to=2026-12-31`)).body.rows).toEqual([]);
  });

  it('is scoped by the permission matrix: an owner their stores, a manager assigned ones, an admin all, a shopkeeper none', async () => {
    const query = `from=2026-11-30&to=2026-11-30`;
    const stranger = await signIn(h, 'owner', [otherStore]);
    expect((await report(stranger, `storeIds=${store}&${query}`)).status).toBe(403);
    expect((await report(stranger, query)).body.rows).toEqual([]);
    const manager = await signIn(h, 'manager', [store, otherStore]);
    expect((await report(manager, query)).body.rows[0]).toMatchObject({ revenue: 650 });
    const admin = await signIn(h, 'admin', []);
    expect((await report(admin, `storeIds=${store},${otherStore}&${query}`)).body.rows[0]).toMatchObject({ revenue: 650 });
    const shopkeeper = await signIn(h, 'shopkeeper', [store]);
    expect((await report(shopkeeper, `storeIds=${store}&${query}`)).status).toBe(403);
  });

  it('bad input is a clear 400', async () => {
    for (const query of ['from=2026-12-02&to=2026-12-01', 'from=yesterday&to=2026-12-01', 'from=2025-01-01&to=2026-12-01', `storeIds=not-a-uuid&from=2026-12-01&to=2026-12-01`, 'from=2026-12-01&to=2026-12-01&groupBy=minute']) {
      expect((await report(owner, query)).status, query).toBe(400);
    }
  });

  it('each event is applied once: its id is recorded with its effect', async () => {
    expect(await countRows(h.sql, 'processed_events', `consumer = 'analytics'`)).toBe(
      await countRows(h.sql, 'movements', 'store_id = $1', [store]),
    );
    expect(await countRows(h.sql, 'worker_dead_letters')).toBe(0);
  });
});
