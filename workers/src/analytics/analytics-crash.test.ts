import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createStore, op, eventsPublished, signIn, startHarness, type Harness } from '../../../sync-server/test/harness';
import { services } from '../../../sync-server/test/services';
import { PROJECTION_APPLICATION_NAME } from '../runtime/pool';

// `npm run worker -- analytics` as its own process, killed with SIGKILL while
// a batch's transaction is open, then started again: the report ends exact
// (real Kafka and PostgreSQL; the events come from a real server's relay).
const prefix = `crash-${randomUUID().slice(0, 8)}.`;
const workersDir = fileURLToPath(new URL('../..', import.meta.url));
let h: Harness;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  h = await startHarness({ KAFKA_BROKERS: services.kafka, KAFKA_TOPIC_PREFIX: prefix });
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

/** The worker process as its Deployment runs it (infra/k8s/workers.ts), with a short group session so a killed one is replaced quickly. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'analytics'], {
    cwd: workersDir,
    env: {
      ...process.env,
      DATABASE_URL: h.database.url,
      KAFKA_BROKERS: services.kafka,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      HEALTH_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Kills `child` the moment one of its sessions is inside a transaction that
 * has written (a batch half applied), once it has committed some: partitions
 * are applied side by side, so others are then done or under way.
 */
async function killMidBatch(child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await processed()) === 0) {
    if (Date.now() > end) throw new Error('the worker never applied a batch');
    await new Promise((r) => setTimeout(r, 5));
  }
  for (;;) {
    const { rows } = await h.sql.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND backend_xid IS NOT NULL`,
      [PROJECTION_APPLICATION_NAME],
    );
    if (rows.length > 0) break;
    if (Date.now() > end) throw new Error('the worker never began a batch');
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const processed = async () =>
  (await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'analytics'`)).rows[0]!.n;

describe('the analytics worker killed mid-batch', () => {
  it('SIGKILL while a batch is being applied, then a restart: every event counted once, totals exact to the paisa', async () => {
    const stores = await Promise.all(Array.from({ length: 8 }, (_, i) => createStore(h.sql, `Crash ${i}`)));
    const products = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
    const owner = await signIn(h, 'owner', stores);
    const expected = new Map<string, { units: number; revenuePaisa: number; sales: number }>();
    let events = 0;
    for (const [s, store] of stores.entries()) {
      const sales = Array.from({ length: 300 }, (_, i) =>
        op.sale(store, [
          { productId: products[0]!, quantity: 1 + (i % 3), unitPrice: 12.35 },
          { productId: products[1]!, quantity: 0.25 * (1 + (i % 4)), unitPrice: 100 + s },
        ]),
      );
      for (let i = 0; i < sales.length; i += 100) expect((await owner.push(sales.slice(i, i + 100))).status).toBe(200);
      let units = 0;
      let revenuePaisa = 0;
      for (const sale of sales) {
        if (sale.type !== 'sale') continue;
        for (const line of sale.lines) {
          units += line.quantity;
          // Quarters of a unit at whole rupees, whole units at 12.35: exact in paisa, no rounding to agree on.
          revenuePaisa += Math.round(line.quantity * line.unitPrice * 100);
        }
      }
      expected.set(store, { units, revenuePaisa, sales: sales.length });
      events += sales.length * 2;
    }
    await eventsPublished(h, 60_000);

    await killMidBatch(startWorkerProcess());
    const atKill = await processed();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(events);

    const again = startWorkerProcess();
    const end = Date.now() + 180_000;
    while ((await processed()) < events) {
      if (Date.now() > end) throw new Error(`only ${await processed()} of ${events} events applied`);
      await new Promise((r) => setTimeout(r, 250));
    }
    again.kill('SIGTERM');

    const { rows } = await h.sql.query<{ store_id: string; units: string; revenue: string; tickets: string }>(
      `SELECT store_id, sum(units_milli)::text AS units, sum(revenue_paisa)::text AS revenue, sum(tickets)::text AS tickets
         FROM report_sales WHERE store_id = ANY($1::uuid[]) GROUP BY store_id`,
      [stores],
    );
    const actual = new Map(rows.map((r) => [r.store_id, { units: Number(r.units) / 1000, revenuePaisa: Number(r.revenue), sales: Number(r.tickets) }]));
    expect(actual).toEqual(expected);
    expect(await processed()).toBe(events);
  }, 300_000);
});
