import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { topics } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness } from '../../../sync-server/test/harness';
import { services } from '../../../sync-server/test/services';
import type { AddressInfo } from 'node:net';
import { serveHealth } from '../runtime/health';
import { runKafkaWorker, type RunningWorker } from '../runtime/kafka-runner';
import { projectionPool } from '../runtime/pool';
import { analyticsWorker } from './analytics-worker';

// The analytics worker as a Kafka consumer group, against the real broker and
// PostgreSQL, fed by a real server's outbox relay. (relay.test.ts may stop the
// shared broker meanwhile: every wait here outlasts that.)
const prefix = `analytics-${randomUUID().slice(0, 8)}.`;
let h: Harness;
let pool: pg.Pool;
let store: string;
let product: string;
let owner: ApiClient;
let worker: RunningWorker | undefined;
const kafka = new Kafka({ clientId: 'analytics-test', brokers: [services.kafka], logLevel: logLevel.NOTHING, retry: { retries: 30, maxRetryTime: 2000 } });

const start = () => runKafkaWorker(analyticsWorker, { brokers: [services.kafka], clientId: 'analytics-test', prefix, pool, log: () => {}, attempts: 2 });

interface Totals {
  units: number;
  revenue: number;
  events: number;
}
async function totals(): Promise<Totals> {
  const { rows } = await pool.query<Totals>(
    `SELECT coalesce(sum(units_milli), 0)::float8 / 1000 AS units, coalesce(sum(revenue_paisa), 0)::float8 / 100 AS revenue,
            (SELECT count(*)::int FROM processed_events WHERE consumer = 'analytics') AS events
       FROM report_sales WHERE store_id = $1`,
    [store],
  );
  return rows[0]!;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  h = await startHarness({ KAFKA_BROKERS: services.kafka, KAFKA_TOPIC_PREFIX: prefix });
  pool = projectionPool(h.database.url, 4);
  store = await createStore(h.sql, 'Clifton');
  product = await createProduct(h.sql);
  owner = await signIn(h, 'owner', [store]);
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await pool?.end();
  await h?.close();
});

describe('the analytics worker on Kafka', () => {
  it('projects pushed sales; a consumer group that reads everything again (a crash before its offsets were committed) changes nothing', async () => {
    const sales = Array.from({ length: 40 }, (_, i) => op.sale(store, [{ productId: product, quantity: 1 + (i % 3), unitPrice: 12.5 }]));
    for (let i = 0; i < sales.length; i += 10) expect((await owner.push(sales.slice(i, i + 10))).status).toBe(200);
    const units = sales.reduce((sum, s) => sum + (s.type === 'sale' ? s.lines[0]!.quantity : 0), 0);

    worker = await start();
    const first = await until(totals, (t) => t.units === units, 'every sale in the report');
    expect(first).toEqual({ units, revenue: units * 12.5, events: 40 });
    await until(async () => (await worker!.lag()).reduce((sum, p) => sum + p.lag, 0), (lag) => lag === 0, 'the lag to reach zero');

    // Every message delivered again from the start of the topic: the same totals.
    await worker.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${prefix}analytics`, topic: `${prefix}${topics.movements}`, earliest: true });
    await admin.disconnect();
    worker = await start();
    await until(async () => worker!.received(), (n) => n >= 40, 'every message to be delivered again');
    await until(async () => (await worker!.lag()).reduce((sum, p) => sum + p.lag, 0), (lag) => lag === 0, 'the replay to be consumed');
    expect(await totals()).toEqual(first);

    // What the process reports: ready, no lag, and the figures as Prometheus metrics.
    const health = await serveHealth(0, [worker]);
    try {
      const url = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { workers: { name: string; ready: boolean; lag: { lag: number }[] }[] };
      expect(body.workers).toEqual([expect.objectContaining({ name: 'analytics', ready: true })]);
      expect(body.workers[0]!.lag.every((p) => p.lag === 0)).toBe(true);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/bazaar_worker_lag\{worker="analytics",topic="inventory.movements",partition="\d"\} 0/);
      expect(metrics).toMatch(/bazaar_worker_received_total\{worker="analytics"\} [1-9]/);
    } finally {
      health.close();
    }
  }, 300_000);

  it('a poison message goes to workers.dead-letters with its error, and the events after it are projected', async () => {
    worker ??= await start();
    const before = await totals();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${prefix}${topics.movements}`, messages: [{ key: store, value: '{"type":"stock.moved","this is":"not an event"}' }] });
    await producer.disconnect();
    expect((await owner.push([op.sale(store, [{ productId: product, quantity: 2, unitPrice: 12.5 }])])).status).toBe(200);

    await until(totals, (t) => t.units === before.units + 2, 'the sale after the poison message');
    const consumer = kafka.consumer({ groupId: `${prefix}dead-letter-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}${topics.workerDeadLetters}`, fromBeginning: true });
    const letters: { consumer: string; error: string; payload: string }[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void letters.push(JSON.parse(message.value!.toString())) });
    try {
      await until(async () => letters.length, (n) => n >= 1, 'the dead letter');
      expect(letters[0]).toMatchObject({ consumer: 'analytics', payload: expect.stringContaining('not an event') });
      expect(letters[0]!.error).toMatch(/unreadable/);
      expect(worker.deadLettered()).toBe(1);
    } finally {
      await consumer.disconnect();
    }
  }, 300_000);
});
