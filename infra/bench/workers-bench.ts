/**
 * `npm run bench:workers`: how many movement events a second the analytics
 * projector applies from Kafka into PostgreSQL, beside a baseline measured in
 * the same run: the same rows written by a plain `COPY` into a table of their
 * own (the most PostgreSQL takes in without any projection).
 *
 * A benchmark, not a test: it prints figures, and exits non-zero only when
 * the projection is wrong afterwards (units and revenue must equal what was sent).
 *
 *   npm run bench:workers                  # 1,000,000 movements across 2,000 stores
 *   npm run bench:workers -- --quick       # 100,000 across 500
 *   MOVEMENTS=300000 STORES=1000 npm run bench:workers
 *
 * Options (env NAME or --name=value): MOVEMENTS (1000000), STORES (2000),
 * PRODUCTS (200), KAFKA_BROKERS (127.0.0.1:9092), KEEP_DATABASE (false).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../../sync-server/src/db/migrate';
import { createTestDatabase } from '../../sync-server/test/services';
import { linePaisa, topics, type MovementEvent } from '@bazaar/shared';
import { analyticsWorker } from '../../workers/src/analytics/analytics-worker';
import { runKafkaWorker } from '../../workers/src/runtime/kafka-runner';
import { option, quick } from './options';

const MOVEMENTS = Number(option('MOVEMENTS', quick ? '100000' : '1000000'));
const STORES = Number(option('STORES', quick ? '500' : '2000'));
const PRODUCTS = Number(option('PRODUCTS', '200'));
const BROKERS = option('KAFKA_BROKERS', '127.0.0.1:9092').split(',');
const KEEP = option('KEEP_DATABASE', 'false') === 'true';
const prefix = `bench-${randomUUID().slice(0, 8)}.`;

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const log = (msg: string) => console.log(`[bench:workers] ${msg}`);

const database = await createTestDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
try {
  await migrate(pool);
  const { rows: storeRows } = await pool.query<{ id: string }>(
    `INSERT INTO stores (name) SELECT 'Bench store ' || g FROM generate_series(1, $1) g RETURNING id`,
    [STORES],
  );
  const { rows: productRows } = await pool.query<{ id: string }>(
    `INSERT INTO products (sku, name_en, name_ur, category, unit, default_price)
     SELECT 'BENCH-' || g, 'Bench product ' || g, 'آزمائشی', 'bench', 'piece', 100 FROM generate_series(1, $1) g RETURNING id`,
    [PRODUCTS],
  );
  const stores = storeRows.map((r) => r.id);
  const products = productRows.map((r) => r.id);
  const userId = randomUUID();

  // One purchase then sales, per store: a steady mix like a shop's day.
  log(`making ${MOVEMENTS.toLocaleString('en')} movements across ${STORES} stores and ${PRODUCTS} products`);
  let expectedUnits = 0;
  let expectedRevenue = 0;
  const events: MovementEvent[] = [];
  for (let i = 0; i < MOVEMENTS; i++) {
    const storeId = stores[i % STORES]!;
    const productId = products[Math.floor(i / STORES) % PRODUCTS]!;
    const purchase = i % 10 === 0;
    const quantity = purchase ? 50 : 1 + (i % 3);
    if (!purchase) {
      expectedUnits += quantity;
      expectedRevenue += linePaisa(quantity, 45.5);
    }
    events.push({
      eventId: randomUUID(), storeId, operationId: randomUUID(), deviceId: 'bench', userId,
      clientTime: new Date(Date.UTC(2026, 10, 1 + (i % 28), 4 + (i % 14))).toISOString(), occurredAt: new Date().toISOString(),
      type: 'stock.moved', productId, operationType: purchase ? 'purchase' : 'sale', adjustmentReason: null,
      delta: purchase ? quantity : -quantity, quantity: 0, version: i, discrepancy: false, lineNo: 0,
      ...(purchase ? { unitCost: 31.25 } : { unitPrice: 45.5, paymentMethod: i % 4 === 0 ? ('credit' as const) : ('cash' as const) }),
    });
  }

  // Baseline: the same rows, by COPY, into a table of their own.
  await pool.query(`CREATE TABLE bench_copy (event_id uuid, store_id uuid, product_id uuid, payload jsonb)`);
  const copyStarted = performance.now();
  const client = await pool.connect();
  try {
    const stream = client.query(copyFrom('COPY bench_copy FROM STDIN'));
    const done = new Promise<void>((resolve, reject) => stream.on('finish', () => resolve()).on('error', reject));
    for (const e of events) {
      // COPY's text format: a backslash in the JSON must be doubled.
      if (!stream.write(`${e.eventId}\t${e.storeId}\t${e.productId}\t${JSON.stringify(e).replace(/\\/g, '\\\\')}\n`)) {
        await new Promise((r) => stream.once('drain', r));
      }
    }
    stream.end();
    await done;
  } finally {
    client.release();
  }
  const copyMs = performance.now() - copyStarted;

  // Into Kafka first (not timed as the projector's), then the projector from the start of the topic.
  const kafka = new Kafka({ clientId: 'bench-workers', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((t) => ({ topic: `${prefix}${t}`, numPartitions: 6 })) });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const produceStarted = performance.now();
  for (let i = 0; i < events.length; i += 5000) {
    await producer.send({
      topic: `${prefix}${topics.movements}`,
      acks: -1,
      messages: events.slice(i, i + 5000).map((e) => ({ key: e.storeId, value: JSON.stringify(e) })),
    });
  }
  const produceMs = performance.now() - produceStarted;
  await producer.disconnect();

  const started = performance.now();
  const worker = await runKafkaWorker(analyticsWorker, { brokers: BROKERS, clientId: 'bench-workers', prefix, pool, log: () => {} });
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'analytics'`);
    if (process.env.BENCH_TRACE) log(`${Math.round(performance.now() - started)} ms: ${rows[0]!.n}`);
    if (rows[0]!.n >= MOVEMENTS) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const projectMs = performance.now() - started;
  await worker.stop();

  const { rows: check } = await pool.query<{ units: string; revenue: string }>(`SELECT sum(units_milli) AS units, sum(revenue_paisa) AS revenue FROM report_sales`);
  const ok = Number(check[0]!.units) === expectedUnits * 1000 && Number(check[0]!.revenue) === expectedRevenue;
  const projector = rate(MOVEMENTS, projectMs);
  const baseline = rate(MOVEMENTS, copyMs);
  console.log(
    JSON.stringify(
      {
        movements: MOVEMENTS,
        stores: STORES,
        produced: { perSecond: rate(MOVEMENTS, produceMs), seconds: Math.round(produceMs / 100) / 10 },
        projector: { perSecond: projector, seconds: Math.round(projectMs / 100) / 10 },
        baseline: { what: 'the same rows by COPY into a table of their own', perSecond: baseline },
        ratio: Math.round((projector / baseline) * 1000) / 1000,
        exact: ok,
      },
      null,
      2,
    ),
  );
  if (!ok) {
    log(`WRONG: units ${check[0]!.units} (expected ${expectedUnits * 1000}), revenue ${check[0]!.revenue} (expected ${expectedRevenue})`);
    process.exitCode = 1;
  }
} finally {
  await pool.end();
  if (!KEEP) await database.drop();
}
