/**
 * For `npm run bench:sync -- --workers`: how long a pushed sale takes to show
 * in the analytics report and to open its alert, measured while the bench
 * pushes. The analytics and alerts workers run here as Kafka consumer groups
 * on the bench's topics (as their Deployments would, on the same two cores);
 * a probe store sells one unit of a product it has none of, every `everyMs`:
 * the sale's report row and its `negative_stock` alert are waited for by
 * polling PostgreSQL every 10 ms, timed from just before the push.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@bazaar/shared';
import { hashPassword } from '../../sync-server/src/auth/password';
import { alertsWorker } from '../../workers/src/alerts/alerts-worker';
import { analyticsWorker } from '../../workers/src/analytics/analytics-worker';
import { runKafkaWorker } from '../../workers/src/runtime/kafka-runner';
import { projectionPool } from '../../workers/src/runtime/pool';

export interface LatencyFigures {
  report: number[];
  alert: number[];
  probes: number;
  unseen: number;
}

export async function startLatencyProbe(options: {
  sql: pg.Pool;
  databaseUrl: string;
  url: string;
  brokers: string[];
  prefix: string;
  everyMs?: number;
  maxProbes?: number;
}): Promise<{ stop(): Promise<LatencyFigures> }> {
  const { sql } = options;
  const maxProbes = options.maxProbes ?? 2_000;
  const password = randomUUID();
  const { rows: store } = await sql.query<{ id: string }>(`INSERT INTO stores (name, city) VALUES ('Latency probe', 'Lahore') RETURNING id`);
  const storeId = store[0]!.id;
  const { rows: user } = await sql.query<{ id: string }>(
    `INSERT INTO users (username, password_hash, role) VALUES ('bench-probe', $1, 'shopkeeper') RETURNING id`,
    [await hashPassword(password)],
  );
  await sql.query(`INSERT INTO user_stores (user_id, store_id) VALUES ($1, $2)`, [user[0]!.id, storeId]);
  const { rows: products } = await sql.query<{ id: string }>(
    `INSERT INTO products (sku, name_en, name_ur, category, unit, default_price)
     SELECT 'PROBE-' || g, 'Probe ' || g, 'آزمائشی', 'bench', 'piece', 10 FROM generate_series(1, $1::int) g RETURNING id`,
    [maxProbes],
  );
  const login = await fetch(`${options.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-probe', password, deviceId: 'bench-probe' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };

  const pool = projectionPool(options.databaseUrl, 4);
  const workers = await Promise.all(
    [analyticsWorker, alertsWorker].map((worker) =>
      runKafkaWorker(worker, { brokers: options.brokers, clientId: `bench-${worker.name}`, prefix: options.prefix, pool, log: () => {} }),
    ),
  );

  const sentAt = new Map<string, number>();
  const waitingReport = new Set<string>();
  const waitingAlert = new Set<string>();
  const figures: LatencyFigures = { report: [], alert: [], probes: 0, unseen: 0 };
  let next = 0;
  const sell = async () => {
    if (next >= products.length) return;
    const productId = products[next++]!.id;
    sentAt.set(productId, performance.now());
    const res = await fetch(`${options.url}/api/sync/operations/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: JSON.stringify([
        {
          newDocumentState: {
            id: randomUUID(),
            storeId,
            deviceId: 'bench-probe',
            createdAt: new Date().toISOString(),
            type: 'sale',
            lines: [{ productId, quantity: 1, unitPrice: 10 }],
            payment: { method: 'cash' },
          },
          assumedMasterState: null,
        },
      ]),
    }).catch(() => null);
    if (res?.status !== 200) return;
    figures.probes++;
    waitingReport.add(productId);
    waitingAlert.add(productId);
  };
  const look = async () => {
    if (waitingReport.size + waitingAlert.size === 0) return;
    const [reported, alerted] = await Promise.all([
      sql.query<{ product_id: string }>(`SELECT product_id FROM report_sales WHERE store_id = $1 AND product_id = ANY($2::uuid[])`, [storeId, [...waitingReport]]),
      sql.query<{ product_id: string }>(
        `SELECT product_id FROM alerts WHERE store_id = $1 AND kind = 'negative_stock' AND product_id = ANY($2::uuid[])`,
        [storeId, [...waitingAlert]],
      ),
    ]);
    const now = performance.now();
    for (const r of reported.rows) if (waitingReport.delete(r.product_id)) figures.report.push(now - sentAt.get(r.product_id)!);
    for (const r of alerted.rows) if (waitingAlert.delete(r.product_id)) figures.alert.push(now - sentAt.get(r.product_id)!);
  };
  let busy = false;
  const poller = setInterval(() => {
    if (busy) return;
    busy = true;
    void look().finally(() => (busy = false));
  }, 10);
  const seller = setInterval(() => void sell(), options.everyMs ?? 250);

  return {
    async stop() {
      clearInterval(seller);
      const end = Date.now() + 120_000;
      while (waitingReport.size + waitingAlert.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      clearInterval(poller);
      figures.unseen = waitingReport.size + waitingAlert.size;
      await Promise.all(workers.map((w) => w.stop()));
      await pool.end();
      return figures;
    },
  };
}
