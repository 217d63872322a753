/**
 * `npm run bench:dashboard`: how fast the dashboards answer across thousands
 * of stores. It generates 90 days of the workers' projections for 5,000
 * stores straight into PostgreSQL (the bench measures reads; the workers'
 * writes have bench:workers), starts a real server that reads from the
 * streaming replica and caches in Redis, and times each dashboard route as
 * an admin sees it (every store) and as a region's manager: with the cache
 * cold (emptied before each request) and warm, beside the same statements
 * run bare by `psql` against the same replica in the same run.
 *
 * A benchmark, not a test: it prints figures. The aim is 200 ms at p95 for
 * each route from the replica.
 *
 *   npm run bench:dashboard                 # 5,000 stores, 90 days
 *   npm run bench:dashboard -- --quick      # 500 stores, 30 days
 *
 * Options (env NAME or --name=value): STORES (5000), DAYS (90), CELLS (24:
 * store-product-hour cells sold a day per store), RUNS (30), KEEP_DATABASE.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type DashboardPeriod } from '@bazaar/shared';
import { hashPassword } from '../../sync-server/src/auth/password';
import { createUser } from '../../sync-server/src/auth/users-repository';
import { loadConfig } from '../../sync-server/src/config';
import type { Queryable } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import {
  readAlertsTable,
  readOverview,
  readProductsTable,
  readReplenishmentTable,
  readStoresTable,
  readTrend,
  type Scope,
} from '../../sync-server/src/reports/dashboard-repository';
import { startServer } from '../../sync-server/src/server';
import { createTestDatabase, replicaCluster, services } from '../../sync-server/test/services';
import { option, quick } from './options';

const STORES = Number(option('STORES', quick ? '500' : '5000'));
const DAYS = Number(option('DAYS', quick ? '30' : '90'));
const CELLS = Number(option('CELLS', '24'));
const RUNS = Number(option('RUNS', '30'));
const KEEP = option('KEEP_DATABASE', 'false') === 'true';
const PRODUCTS = 200;
const REGIONS = 10;
const log = (msg: string) => console.log(`[bench:dashboard] ${msg}`);
const ms = (since: number) => performance.now() - since;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

const database = await createTestDatabase();
const primary = new pg.Pool({ connectionString: database.url, max: 4 });
const redis = new Redis(services.redis);
const prefix = `bench-dashboard-${randomUUID().slice(0, 8)}:`;
let stopServer: (() => Promise<void>) | null = null;
try {
  await migrate(primary);
  log(`generating ${DAYS} days of projections for ${STORES.toLocaleString('en')} stores (${CELLS} product-hours a store-day)`);
  let started = performance.now();
  await primary.query(
    `INSERT INTO stores (name, city, region) SELECT 'Bench store ' || g, 'City ' || (g % 50), 'Region ' || (g % $2) FROM generate_series(1, $1) g`,
    [STORES, REGIONS],
  );
  await primary.query(
    `INSERT INTO products (sku, name_en, name_ur, category, unit, default_price)
     SELECT 'BENCH-' || g, 'Bench product ' || g, 'آزمائشی ' || g, 'bench', 'piece', 100 FROM generate_series(1, $1) g`,
    [PRODUCTS],
  );
  // Sales: each store sells CELLS product-hours a day, from 08:00, at prices around Rs 100, more on one weekday and this week.
  await primary.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM stores),
          p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM products)
     INSERT INTO report_sales (store_id, day, hour, product_id, tickets, sales, units_milli, revenue_paisa, cash_paisa, credit_paisa,
                               costed_revenue_paisa, cost_paisa, return_tickets, returned_milli, refunds_paisa)
     SELECT s.id, (now() AT TIME ZONE 'Asia/Karachi')::date - d, 8 + (c % 12), p.id,
            1 + (c % 3), 1 + (c % 3), (1 + (s.n + d + c) % 5 + (d % 7 = 2)::int * 2 + (d < 7)::int) * 1000, (1 + (s.n + d + c) % 5 + (d % 7 = 2)::int * 2 + (d < 7)::int) * 10000,
            (1 + (s.n + d + c) % 5 + (d % 7 = 2)::int * 2 + (d < 7)::int) * 10000 * (c % 4 <> 0)::int, (1 + (s.n + d + c) % 5 + (d % 7 = 2)::int * 2 + (d < 7)::int) * 10000 * (c % 4 = 0)::int,
            (1 + (s.n + d + c) % 5 + (d % 7 = 2)::int * 2 + (d < 7)::int) * 10000, (1 + (s.n + d + c) % 5 + (d % 7 = 2)::int * 2 + (d < 7)::int) * 8000, (c % 20 = 0)::int, 0, 0
       FROM s CROSS JOIN generate_series(0, $1 - 1) d CROSS JOIN generate_series(0, $2 - 1) c
       JOIN p ON p.n = (s.n * 7 + d * 3 + c) % $3
      -- Day by day, as the workers write them.
      ORDER BY d DESC, s.n, c`,
    [DAYS, CELLS, PRODUCTS],
  );
  // The store rollups the analytics worker keeps beside report_sales (migration 0018 fills them the same way).
  const sums = `sum(tickets), sum(units_milli), sum(revenue_paisa), sum(cash_paisa), sum(credit_paisa), sum(costed_revenue_paisa), sum(cost_paisa),
                sum(return_tickets), sum(returned_milli), sum(refunds_paisa)`;
  await primary.query(`INSERT INTO report_store_hours SELECT store_id, day, hour, ${sums} FROM report_sales GROUP BY 1, 2, 3 ORDER BY 2, 1, 3`);
  const revenueHours = `ARRAY[${Array.from({ length: 24 }, (_, h) => `coalesce(sum(revenue_paisa) FILTER (WHERE hour = ${h}), 0)`).join(', ')}]`;
  await primary.query(`INSERT INTO report_store_days SELECT store_id, day, ${sums}, ${revenueHours} FROM report_sales GROUP BY 1, 2 ORDER BY 2, 1`);
  // What each store holds (40 products), its cost basis, a few open alerts and suggested orders, its last sync.
  await primary.query(
    `WITH p AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM products)
     INSERT INTO stock (store_id, product_id, quantity, version)
     SELECT s.id, p.id, (p.n % 30) + 1, 1 FROM stores s JOIN p ON p.n <= 40`,
  );
  await primary.query(
    `INSERT INTO report_costs (store_id, product_id, on_hand_milli, basis_paisa)
     SELECT store_id, product_id, (quantity * 1000)::bigint, (quantity * 8000)::bigint FROM stock`,
  );
  // Every store's rollups (migration 0021 fills them the same way), in day order as the worker writes them.
  const shard = `get_byte(uuid_send(r.store_id), 3) % 8`;
  await primary.query(
    `INSERT INTO report_zone_hours SELECT r.day, s.time_zone, r.hour, ${shard}, ${sums}
       FROM report_store_hours r JOIN stores s ON s.id = r.store_id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  );
  await primary.query(
    `INSERT INTO report_zone_products SELECT r.day, s.time_zone, r.product_id, ${shard}, sum(units_milli), sum(revenue_paisa), sum(costed_revenue_paisa), sum(cost_paisa)
       FROM report_sales r JOIN stores s ON s.id = r.store_id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  );
  await primary.query(
    `INSERT INTO report_product_holdings SELECT r.product_id, ${shard}, sum(on_hand_milli), count(*) FILTER (WHERE on_hand_milli > 0)
       FROM report_costs r GROUP BY 1, 2`,
  );
  await primary.query(
    `INSERT INTO alerts (store_id, product_id, kind, opened_at, detail)
     SELECT store_id, product_id, 'low_stock', now() - (quantity || ' hours')::interval, jsonb_build_object('quantity', quantity, 'reorderLevel', 10)
       FROM stock WHERE quantity <= 2`,
  );
  await primary.query(
    `INSERT INTO replenishment_suggestions (store_id, product_id, as_of, on_hand, reorder_level, daily_velocity, lead_time_days, suggested_quantity, basis)
     SELECT store_id, product_id, current_date, quantity, 10, 1.5, 3, 25 - quantity, '{}' FROM stock WHERE quantity <= 12`,
  );
  await primary.query(
    `INSERT INTO report_store_activity (store_id, last_event_at, stock_basis_paisa)
     SELECT s.id, now() - interval '5 minutes', coalesce((SELECT sum(basis_paisa) FROM report_costs c WHERE c.store_id = s.id), 0) FROM stores s`,
  );
  // As autovacuum would have by then: visibility and statistics, so the first reads do not write hint bits.
  await primary.query('VACUUM ANALYZE');
  const { rows: counted } = await primary.query<{ n: number }>('SELECT count(*)::int AS n FROM report_sales');
  log(`  ${counted[0]!.n.toLocaleString('en')} report_sales rows in ${(ms(started) / 1000).toFixed(1)} s`);

  // The replica the routes read from: it must have replayed all of it first.
  await replicaCluster.ensure();
  const readUrl = replicaCluster.url(new URL(database.url).pathname.slice(1));
  const replica = new pg.Pool({ connectionString: readUrl, max: 2 });
  started = performance.now();
  for (;;) {
    const ready = await replica.query<{ n: number }>('SELECT count(*)::int AS n FROM report_store_activity').then((r) => r.rows[0]!.n === STORES, () => false);
    if (ready) break;
    if (ms(started) > 300_000) throw new Error('the replica did not catch up');
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`  the replica caught up in ${(ms(started) / 1000).toFixed(1)} s`);

  const server = await startServer(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      DATABASE_READ_URL: readUrl,
      REDIS_URL: services.redis,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: randomUUID() + randomUUID(),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_READ_PER_MIN: '1000000',
    }),
  );
  stopServer = server.stop;
  const { rows: regionStores } = await primary.query<{ id: string }>(`SELECT id FROM stores WHERE region = 'Region 3'`);
  const password = 'bench-password-1';
  const passwordHash = await hashPassword(password);
  await createUser(primary, { username: 'bench-admin', passwordHash, role: 'admin', storeIds: [] });
  await createUser(primary, { username: 'bench-manager', passwordHash, role: 'manager', storeIds: regionStores.map((r) => r.id) });
  const tokenOf = async (username: string) => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const viewers = [
    { who: `admin, all ${STORES.toLocaleString('en')} stores`, token: await tokenOf('bench-admin'), scope: { storeIds: null, region: null } as Scope },
    { who: `manager of ${regionStores.length} stores`, token: await tokenOf('bench-manager'), scope: { storeIds: regionStores.map((r) => r.id).sort(), region: null } as Scope },
  ];

  const routes: { name: string; path: string; sql: (q: Queryable, scope: Scope) => Promise<unknown> }[] = [
    { name: 'overview today', path: 'overview?period=today', sql: (q, s) => readOverview(q, s, 'today') },
    { name: 'overview week', path: 'overview?period=week', sql: (q, s) => readOverview(q, s, 'week') },
    { name: 'trend week by day', path: 'trend?period=week&bucket=day', sql: (q, s) => readTrend(q, s, { period: 'week', bucket: 'day' }) },
    { name: 'trend today by hour', path: 'trend?period=today&bucket=hour', sql: (q, s) => readTrend(q, s, { period: 'today', bucket: 'hour' }) },
    ...(['revenue', 'change'] as const).map((sort) => ({
      name: `stores by ${sort}`,
      path: `stores?period=today&sort=${sort}`,
      sql: (q: Queryable, s: Scope) => readStoresTable(q, s, { period: 'today' as DashboardPeriod, sort, dir: 'desc', page: 1, pageSize: 50 }),
    })),
    ...(['top', 'slow'] as const).map((order) => ({
      name: `products ${order}`,
      path: `products?period=week&order=${order}`,
      sql: (q: Queryable, s: Scope) => readProductsTable(q, s, { period: 'week' as DashboardPeriod, order, page: 1, pageSize: 50 }),
    })),
    { name: 'open alerts', path: 'alerts', sql: (q, s) => readAlertsTable(q, s, { page: 1, pageSize: 50 }) },
    { name: 'suggested orders', path: 'replenishment', sql: (q, s) => readReplenishmentTable(q, s, { page: 1, pageSize: 50 }) },
  ];

  const emptyCache = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}reports:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  };
  const timed = async (token: string, path: string) => {
    const start = performance.now();
    const res = await fetch(`${server.url}/api/dashboard/${path}`, { headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms: ms(start), cache: res.headers.get('x-cache') };
  };

  /** The statements a route runs, as psql runs them: prepared once, executed RUNS times, timed by psql itself. */
  const bare = async (scope: Scope, sql: (q: Queryable, s: Scope) => Promise<unknown>): Promise<number[]> => {
    const statements: { text: string; values: unknown[] }[] = [];
    const recorder = { query: async (text: string, values: unknown[] = []) => (statements.push({ text, values }), replica.query(text, values)) } as unknown as Queryable;
    await sql(recorder, scope);
    const literal = (v: unknown): string =>
      v === null || v === undefined ? 'NULL' : Array.isArray(v) ? `'{${v.join(',')}}'` : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
    const script = [
      ...statements.map((s, i) => `PREPARE q${i} AS ${s.text};`),
      // As the server's driver runs them (unnamed statements): planned for their values each time.
      'SET plan_cache_mode = force_custom_plan;',
      '\\o /dev/null',
      '\\timing on',
      ...Array.from({ length: RUNS }, () => statements.map((s, i) => `EXECUTE q${i}(${s.values.map(literal).join(', ')});`).join('\n')),
    ].join('\n');
    // Timing goes to stdout whatever \o says; the rows go nowhere.
    const child = await new Promise<string>((resolve, reject) => {
      const proc = execFile('psql', [readUrl, '-X', '-q', '-f', '-'], { maxBuffer: 256 * 1024 * 1024 }, (err, out) => (err ? reject(err) : resolve(out)));
      proc.stdin!.end(script);
    });
    const times = [...child.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
    const per = statements.length;
    return Array.from({ length: RUNS }, (_, r) => times.slice(r * per, r * per + per).reduce((a, b) => a + b, 0));
  };

  const rows: string[] = [];
  for (const viewer of viewers) {
    log(`${viewer.who}: ${RUNS} requests a route, cold (cache emptied before each) and warm; psql: the same statements on the replica`);
    for (const route of routes) {
      // One request first, so connections and plans are warm for every column alike.
      await timed(viewer.token, route.path);
      const cold: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await emptyCache();
        const { ms: t, cache } = await timed(viewer.token, route.path);
        if (cache !== 'miss') throw new Error(`${route.path}: expected a miss, got ${cache}`);
        cold.push(t);
      }
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) warm.push((await timed(viewer.token, route.path)).ms);
      const psql = summary(await bare(viewer.scope, route.sql));
      const c = summary(cold);
      const w = summary(warm);
      rows.push(
        `  ${`${route.name} (${viewer.who.split(',')[0]})`.padEnd(34)} cold p50 ${c.p50.toFixed(1).padStart(7)} p95 ${c.p95.toFixed(1).padStart(7)} ms · warm p50 ${w.p50.toFixed(1).padStart(5)} p95 ${w.p95.toFixed(1).padStart(5)} ms · psql p50 ${psql.p50.toFixed(1).padStart(7)} p95 ${psql.p95.toFixed(1).padStart(7)} ms · cold/psql p95 ${(c.p95 / psql.p95).toFixed(2)}${c.p95 > 200 ? '  OVER 200 ms' : ''}`,
      );
      console.log(rows.at(-1));
    }
  }
  await replica.end();
} finally {
  await stopServer?.();
  redis.disconnect();
  await primary.end();
  if (!KEEP) await database.drop();
}
