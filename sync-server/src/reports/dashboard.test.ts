import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { isReportsChange, type AlertsTable, type Operation, type Overview, type ProductsTable, type ReplenishmentTable, type StoresTable, type Trend } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, untilProjected, type ApiClient, type Harness } from '../../test/harness';
import { replicaCluster, services } from '../../test/services';
import { readOverview, readProductsTable, readReplenishmentTable, readTrend, type Scope } from './dashboard-repository';

// The dashboards over the in-process workers, reading from a real streaming
// replica, cached in real Redis: figures are what the workers computed, a
// manager sees only their stores, and a cached figure never outlives the
// workers' news of a newer one, even while the replica lags.
let h: Harness;
let replica: pg.Pool;
let karachi: string;
let hyderabad: string;
let lahore: string;
let rice: string;
let daal: string;
let sindhOwner: ApiClient;
let shopkeeper: ApiClient;

const get = <T>(client: ApiClient, path: string) => client.request('GET', `/api/dashboard/${path}`) as Promise<{ status: number; headers: Headers; body: T }>;
const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
const sale = (store: string, productId: string, quantity: number, unitPrice: number, createdAt = new Date().toISOString()): Operation => ({
  ...op.sale(store, [{ productId, quantity, unitPrice }]),
  createdAt,
});
/** Karachi's local hour and day now (the stores' default time zone). */
const karachiNow = () => new Date(Date.now() + 5 * 3_600_000);

// The replica and three workers stand between a push and its figure: a little longer than reports.test allows.
const until = <T>(read: () => Promise<T>, done: (value: T) => boolean) => untilProjected(read, done, 20_000);

/** Resolves at the next announcement that `store`'s reports changed. */
function announced(store: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = h.server.bus.subscribe((m) => {
      if (isReportsChange(m) && m.reports.includes(store)) {
        stop();
        resolve();
      }
    });
  });
}

async function replayed(sql: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await replica.query(sql).then((r) => r.rowCount === 1, () => false))) {
    if (Date.now() > end) throw new Error(`the replica did not replay: ${sql}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await replicaCluster.ensure();
  h = await startHarness({ REDIS_URL: services.redis, REDIS_KEY_PREFIX: `dashboard-test-${randomUUID()}:` }, undefined, async (database) => {
    const url = replicaCluster.url(new URL(database.url).pathname.slice(1));
    replica = new pg.Pool({ connectionString: url, max: 2 });
    replica.on('error', () => {});
    await replayed(`SELECT 1`);
    return url;
  });
  await replayed(`SELECT 1 FROM pg_tables WHERE tablename = 'report_sales'`);
  [karachi, hyderabad, lahore] = await Promise.all([createStore(h.sql, 'Saddar Kiryana'), createStore(h.sql, 'Latifabad Mart'), createStore(h.sql, 'Anarkali Store')]);
  await h.sql.query(`UPDATE stores SET region = CASE WHEN id = $1 THEN 'Punjab' ELSE 'Sindh' END`, [lahore]);
  [rice, daal] = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
  sindhOwner = await signIn(h, 'owner', [karachi, hyderabad]);
  shopkeeper = await signIn(h, 'shopkeeper', [karachi]);
  const lahoreShop = await signIn(h, 'shopkeeper', [lahore]);
  // Karachi buys rice at Rs 80 and daal, sells rice today and yesterday; Lahore sells daal.
  await sindhOwner.push([op.purchase(karachi, [{ productId: rice, quantity: 20 }, { productId: daal, quantity: 5 }])]);
  expect((await shopkeeper.push([sale(karachi, rice, 3, 120), sale(karachi, rice, 1, 120, at(24))])).status).toBe(200);
  expect((await lahoreShop.push([sale(lahore, daal, 2, 300)])).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await replica?.end();
  await h?.close();
});

describe('GET /api/dashboard/*', () => {
  it('V2 the overview sums today against yesterday until the same hour, for the stores in scope', async () => {
    const { body } = await until(() => get<Overview>(sindhOwner, 'overview?period=today'), (r) => r.body.current?.revenue === 360);
    expect(body.current).toEqual({ sales: 1, units: 3, revenue: 360, margin: 120, cash: 360, credit: 0, returns: 0, refunds: 0 });
    // Yesterday's sale was 24 hours ago, at this very local hour: counted as the day before.
    expect(body.previous).toMatchObject({ sales: 1, units: 1, revenue: 120 });
    expect(body).toMatchObject({ period: 'today', stores: 2, sellingStores: 1 });
    expect(body.asOf).not.toBeNull();
    const week = await get<Overview>(sindhOwner, 'overview?period=week');
    expect(week.body.current).toMatchObject({ sales: 2, revenue: 480 });
    expect(week.body.previous.sales).toBe(0);
  });

  it('V2 a sale yesterday after this hour is not set against this morning', async () => {
    const hour = karachiNow().getUTCHours();
    if (hour === 23) return; // no later hour yesterday to try
    const store = await createStore(h.sql, 'Late Shop');
    const owner = await signIn(h, 'owner', [store]);
    // Yesterday at 23:30 local time.
    const midnight = Date.UTC(karachiNow().getUTCFullYear(), karachiNow().getUTCMonth(), karachiNow().getUTCDate()) - 5 * 3_600_000;
    await owner.push([{ ...op.sale(store, [{ productId: rice, quantity: 1, unitPrice: 50 }]), createdAt: new Date(midnight - 30 * 60_000).toISOString() }]);
    const week = await until(() => get<Overview>(owner, 'overview?period=week'), (r) => r.body.current?.sales === 1);
    expect(week.body.current.revenue).toBe(50);
    expect((await get<Overview>(owner, 'overview?period=today')).body.previous.sales).toBe(0);
  });

  it('V3 a cached figure is served again, and never after the workers announced a newer one, though the replica lags', async () => {
    const query = `overview?period=today&storeIds=${karachi}`;
    const first = await until(() => get<Overview>(sindhOwner, query), (r) => r.body.current?.revenue === 360);
    const again = await get<Overview>(sindhOwner, query);
    expect([first.headers.get('x-cache'), again.headers.get('x-cache')]).toContain('hit');
    expect(again.body).toEqual(first.body);

    // Hold the replica's replay back: the workers commit on the primary and announce, and the
    // next read must wait for the replica (or ask the primary), not answer the cached 360.
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      const news = announced(karachi);
      expect((await shopkeeper.push([sale(karachi, rice, 1, 120)])).status).toBe(200);
      await news;
      const after = await get<Overview>(sindhOwner, query);
      expect(after.headers.get('x-cache')).toBe('miss');
      expect(after.body.current.revenue).toBe(480);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
  });

  it('V1 a manager sees only the stores assigned to them, and naming another is refused', async () => {
    const punjab = await signIn(h, 'manager', [lahore]);
    const stores = await until(() => get<StoresTable>(punjab, 'stores?period=today'), (r) => r.body.rows?.[0]?.revenue === 600);
    expect(stores.body.rows.map((r) => r.id)).toEqual([lahore]);
    expect(stores.body.total).toBe(1);
    expect((await get<Overview>(punjab, `overview?storeIds=${karachi}`)).status).toBe(403);
    expect((await get<StoresTable>(punjab, `stores?storeIds=${lahore},${karachi}`)).status).toBe(403);
    expect((await get<Overview>(punjab, 'overview?region=Sindh')).body.stores).toBe(0);
    expect((await get<Overview>(shopkeeper, 'overview')).status).toBe(403);
    const admin = await signIn(h, 'admin', []);
    const sindh = await get<StoresTable>(admin, 'stores?region=Sindh&sort=name&dir=asc');
    expect(sindh.body.rows.map((r) => r.name)).toEqual(['Latifabad Mart', 'Saddar Kiryana']);
    const scope = await get<{ stores: number; regions: { region: string; stores: number }[] }>(admin, 'scope');
    expect(scope.body.regions).toEqual([
      { region: 'Punjab', stores: 1 },
      { region: 'Sindh', stores: 2 },
    ]);
  });

  it('V1 a manager of a thousand stores (the most a user holds) reads them: the token carrying them is not too large a header', async () => {
    const { rows } = await h.sql.query<{ id: string }>(`INSERT INTO stores (name, region) SELECT 'Chain ' || g, 'Chain' FROM generate_series(1, 1000) g RETURNING id`);
    const chain = await signIn(h, 'manager', rows.map((r) => r.id));
    const { status, body } = await get<Overview>(chain, 'overview?region=Chain');
    expect(status).toBe(200);
    expect(body.stores).toBe(1000);
  });

  it('the stores table sorts, searches and pages; each row carries sales, stock value and open alerts', async () => {
    const { body } = await until(() => get<StoresTable>(sindhOwner, 'stores?sort=revenue&dir=desc'), (r) => (r.body.rows?.[0]?.revenue ?? 0) >= 360);
    expect(body.rows.map((r) => r.id)).toEqual([karachi, hyderabad]);
    // 20 rice and 5 daal bought at Rs 80, 5 rice sold (today, yesterday, and in the test above): 20 left at cost.
    expect(body.rows[0]).toMatchObject({ revenue: 480, sales: 2, previousRevenue: 120, stockValue: 1600 });
    expect(body.rows[0]!.lastEventAt).not.toBeNull();
    expect(body.rows[1]).toMatchObject({ revenue: 0, sales: 0, lastEventAt: null });
    const page2 = await get<StoresTable>(sindhOwner, 'stores?sort=revenue&dir=desc&pageSize=1&page=2');
    expect(page2.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.body.rows.map((r) => r.id)).toEqual([hyderabad]);
    expect((await get<StoresTable>(sindhOwner, 'stores?q=latif')).body.rows.map((r) => r.id)).toEqual([hyderabad]);
    expect((await get<StoresTable>(sindhOwner, 'stores?q=%25')).body.rows).toEqual([]);
  });

  it('products: top by revenue, slow ones held and least sold; the trend by day and product', async () => {
    const top = await until(() => get<ProductsTable>(sindhOwner, 'products?order=top'), (r) => r.body.rows?.length === 1);
    expect(top.body.rows[0]).toMatchObject({ productId: rice });
    const slow = await get<ProductsTable>(sindhOwner, 'products?order=slow');
    expect(slow.body.rows.map((r) => r.productId)).toEqual([daal, rice]);
    expect(slow.body.rows[0]).toMatchObject({ units: 0, onHand: 5, stores: 1 });
    const trend = await get<Trend>(sindhOwner, `trend?period=week&bucket=day&productId=${rice}`);
    expect(trend.body.points.length).toBe(2);
    expect(trend.body.points.reduce((n, p) => n + p.units, 0)).toBeGreaterThanOrEqual(4);
    expect((await get<Trend>(sindhOwner, `trend?period=week&productId=${daal}`)).body.points).toEqual([]);
  });

  it('open alerts across the stores, oldest first, with the store and product named', async () => {
    // A reorder level above what Karachi holds of daal opens a low-stock alert.
    await sindhOwner.push([{ ...op.price(karachi, daal, 0, 320), changes: { reorderLevel: 10 } } as Operation]);
    const { body } = await until(() => get<AlertsTable>(sindhOwner, 'alerts?kind=low_stock'), (r) => r.body.rows?.length === 1);
    expect(body.rows[0]).toMatchObject({ storeId: karachi, storeName: 'Saddar Kiryana', productId: daal, kind: 'low_stock', clearedAt: null });
    expect(body.rows[0]!.sku).toMatch(/^SKU-/);
    expect((await get<AlertsTable>(sindhOwner, 'alerts?kind=store_silent')).body.rows).toEqual([]);
    // The same level makes an order: up to 10 from the 5 held, with the names a supplier reads.
    const order = await until(() => get<ReplenishmentTable>(sindhOwner, `replenishment?storeIds=${karachi}&pageSize=5000`), (r) => r.body.rows?.length === 1);
    expect(order.body.rows[0]).toMatchObject({ storeId: karachi, storeName: 'Saddar Kiryana', productId: daal, onHand: 5, reorderLevel: 10, suggestedQuantity: 5 });
    expect(order.body.rows[0]!.nameEn).toMatch(/^Product SKU-/);
    const punjab = await signIn(h, 'manager', [lahore]);
    expect((await get<ReplenishmentTable>(punjab, `replenishment?storeIds=${karachi}`)).status).toBe(403);
  });

  it('every store at once (an admin unfiltered) reads the all-store rollups and answers what naming each store answers, each store in its own zone', async () => {
    const queens = await createStore(h.sql, 'Queens Deli');
    await h.sql.query(`UPDATE stores SET time_zone = 'America/New_York' WHERE id = $1`, [queens]);
    const owner = await signIn(h, 'owner', [queens]);
    // Its sale 20 hours ago is on another local day than Karachi's much of the time; the rice it sells it never bought.
    await owner.push([op.purchase(queens, [{ productId: daal, quantity: 4 }]), sale(queens, daal, 1, 310), sale(queens, rice, 2, 99, at(20))]);
    await until(() => get<StoresTable>(owner, 'stores?period=week'), (r) => r.body.rows?.[0]?.revenue === 508);
    const { rows } = await h.sql.query<{ id: string }>('SELECT id FROM stores');
    const every: Scope = { storeIds: null, region: null };
    const named: Scope = { storeIds: rows.map((r) => r.id), region: null };
    for (const period of ['today', 'week'] as const) {
      const overview = await readOverview(h.sql, every, period);
      expect(overview).toEqual(await readOverview(h.sql, named, period));
      expect(overview.current.sales).toBeGreaterThan(0);
      for (const order of ['top', 'slow'] as const) {
        const query = { period, order, page: 1, pageSize: 50 };
        expect(await readProductsTable(h.sql, every, query)).toEqual(await readProductsTable(h.sql, named, query));
      }
    }
    for (const [period, bucket] of [['week', 'day'], ['today', 'hour'], ['month', 'day']] as const) {
      expect(await readTrend(h.sql, every, { period, bucket })).toEqual(await readTrend(h.sql, named, { period, bucket }));
    }
    // Suggested orders, walked by need across every store: the same rows, pages and total.
    const orders = await readReplenishmentTable(h.sql, every, { page: 1, pageSize: 50 });
    expect(orders.total).toBeGreaterThan(0);
    expect(orders).toEqual(await readReplenishmentTable(h.sql, named, { page: 1, pageSize: 50 }));
    expect(await readReplenishmentTable(h.sql, every, { page: 2, pageSize: 1 })).toEqual(await readReplenishmentTable(h.sql, named, { page: 2, pageSize: 1 }));
  });

  it('bad input is a clear 400 and changes nothing', async () => {
    for (const query of ['overview?period=year', 'stores?sort=password', 'stores?dir=sideways', 'stores?pageSize=5000', 'stores?page=0', 'trend?bucket=minute', 'products?order=best', `alerts?kind=fire`, 'overview?storeIds=1;DROP TABLE stores', 'replenishment?pageSize=5001']) {
      const res = await get<{ error: { code: string } }>(sindhOwner, query);
      expect(res.status, query).toBe(400);
    }
    expect((await h.sql.query('SELECT count(*)::int AS n FROM stores')).rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
