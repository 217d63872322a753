import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { topics } from '@bazaar/shared';
import type { Operation } from '@bazaar/shared';
import { createProduct, createStore, eventsOf, op, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';
import { unpublished } from './relay';
import { services } from '../../test/services';

// The log's relay against a real Kafka broker (EVENTS.md O1-O5). This file stops and
// restarts the shared test broker: it is the only suite that may.
const run = promisify(execFile);
const kafkaScript = fileURLToPath(new URL('../../../infra/kafka/kafka.sh', import.meta.url));
const kafkaCtl = (cmd: 'start' | 'stop') => run('bash', [kafkaScript, cmd], { timeout: 120_000 });

const prefix = `test-${randomBytes(4).toString('hex')}.`;
let h: Harness;
let consumer: Consumer;
const received: { topic: string; eventId: string; storeId: string; productId?: string; version?: number }[] = [];

beforeAll(async () => {
  await kafkaCtl('start');
  h = await startHarness({ KAFKA_BROKERS: services.kafka, KAFKA_TOPIC_PREFIX: prefix });
  const kafka = new Kafka({ clientId: 'relay-test', brokers: [services.kafka], logLevel: logLevel.NOTHING, retry: { retries: 50, maxRetryTime: 2000 } });
  // The server creates its topics on its first publish; the checker subscribes before that.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [topics.movements, topics.sales].map((t) => ({ topic: prefix + t, numPartitions: 6 })) });
  await admin.disconnect();
  consumer = kafka.consumer({ groupId: `${prefix}checker`, retry: { retries: 50, maxRetryTime: 2000 } });
  await consumer.connect();
  await consumer.subscribe({ topics: [prefix + topics.movements, prefix + topics.sales], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const event = JSON.parse(message.value!.toString());
      received.push({ topic, eventId: event.eventId, storeId: event.storeId, productId: event.productId, version: event.version });
    },
  });
}, 180_000);

afterAll(async () => {
  await consumer?.disconnect().catch(() => {});
  await h?.close();
  // Leave the broker running for whoever comes next.
  await kafkaCtl('start');
}, 180_000);

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('outbox relay to Kafka', () => {
  it('O2 with the broker stopped mid-stream, nothing is lost or duplicated once it returns, and each store stays in order', async () => {
    const stores = await Promise.all([createStore(h.sql), createStore(h.sql), createStore(h.sql)]);
    const product = await createProduct(h.sql);
    const owner: ApiClient = await signIn(h, 'owner', stores);
    const pushed: Operation[] = [];
    const pushRound = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const sales = stores.map((s) => op.sale(s, [{ productId: product, quantity: 1 }]));
        const res = await owner.push(sales);
        expect(res.status).toBe(200);
        pushed.push(...sales);
      }
    };

    await pushRound(5);
    await until(async () => received.length >= 5 * 3 * 2, 60_000, 'the first events');

    await kafkaCtl('stop');
    // Sales keep being accepted while the broker is away; their events wait in the log.
    await pushRound(10);
    expect(await unpublished(h.sql)).toBeGreaterThan(0);

    await kafkaCtl('start');
    await pushRound(5);

    const watched: string[] = [topics.movements, topics.sales];
    const all = (await Promise.all(pushed.map((s) => eventsOf(h, s.id))))
      .flat()
      .filter((e) => watched.includes(e.topic))
      .map((e) => e.event.eventId);
    expect(all).toHaveLength(20 * 3 * 2);
    await until(async () => new Set(received.map((r) => r.eventId)).size >= all.length, 120_000, 'every event after the broker returned');
    await until(async () => (await unpublished(h.sql)) === 0, 30_000, 'the log to be published');

    // Nothing lost, nothing foreign, and duplicates, if any, only as redeliveries of the same event id.
    const ids = new Set(received.map((r) => r.eventId));
    expect([...ids].sort()).toEqual(all.sort());

    // Per store, the stock versions arrive in the order they were made.
    for (const store of stores) {
      const versions = received.filter((r) => r.topic === prefix + topics.movements && r.storeId === store).map((r) => r.version!);
      const firstSeen = versions.filter((v, i) => versions.indexOf(v) === i);
      expect(firstSeen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  }, 300_000);

  it('O5 an event the broker refuses for good goes to the dead letters with its error; every other event goes on, in order', async () => {
    // A topic that takes at most 20 kB a message: a 400-line sale's event is about twice that.
    const small = `test-${randomBytes(4).toString('hex')}.`;
    const kafka = new Kafka({ clientId: 'relay-test-dlq', brokers: [services.kafka], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: small + topics.sales, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] },
        { topic: small + topics.deadLetters, numPartitions: 1 },
      ],
    });
    await admin.disconnect();
    const sales: { eventId: string; operationId: string }[] = [];
    const notices: { eventId: string; topic: string; error: string }[] = [];
    const checker = kafka.consumer({ groupId: `${small}checker` });
    await checker.connect();
    await checker.subscribe({ topics: [small + topics.sales, small + topics.deadLetters], fromBeginning: true });
    await checker.run({
      eachMessage: async ({ topic, message }) => {
        const value = JSON.parse(message.value!.toString());
        if (topic === small + topics.sales) sales.push(value);
        else notices.push(value);
      },
    });
    const dlq = await startHarness({ KAFKA_BROKERS: services.kafka, KAFKA_TOPIC_PREFIX: small });
    try {
      const store = await createStore(dlq.sql);
      const products = await Promise.all(Array.from({ length: 400 }, () => createProduct(dlq.sql)));
      const owner = await signIn(dlq, 'owner', [store]);
      const before = op.sale(store, [{ productId: products[0]!, quantity: 1 }]);
      const big = op.sale(store, products.map((productId) => ({ productId, quantity: 1 })));
      const after = op.sale(store, [{ productId: products[1]!, quantity: 1 }]);
      for (const sale of [before, big, after]) expect((await owner.push([sale])).status).toBe(200);

      await until(() => sales.length >= 2 && notices.length >= 1, 60_000, 'the small sales and the dead-letter notice');
      expect(sales.map((e) => e.operationId)).toEqual([before.id, after.id]);
      // The notice is published before the relay's transaction that sets the event aside commits: wait for that commit.
      const deadLetters = () => dlq.sql.query(`SELECT event_id, topic, payload->>'operationId' AS operation, bytes, error FROM outbox_dead_letters`);
      await until(async () => (await deadLetters()).rowCount! > 0, 15_000, 'the dead letter row');
      const { rows: dead } = await deadLetters();
      expect(dead).toEqual([{ event_id: notices[0]!.eventId, topic: topics.sales, operation: big.id, bytes: expect.any(Number), error: expect.any(String) }]);
      expect(dead[0].bytes).toBeGreaterThan(20_000);
      expect(notices[0]).toMatchObject({ topic: topics.sales });
      expect(dlq.server.relay.deadLettered).toBe(1);
      // The big sale's movements went out, and nothing waits.
      await until(async () => (await unpublished(dlq.sql)) === 0, 30_000, 'the log to be published');
    } finally {
      await checker.disconnect().catch(() => {});
      await dlq.close();
    }
  }, 180_000);

  it('the server starts and takes pushes with the broker down; the events leave once it is back', async () => {
    await kafkaCtl('stop');
    let later: Harness | undefined;
    try {
      later = await startHarness({ KAFKA_BROKERS: services.kafka, KAFKA_TOPIC_PREFIX: `test-${randomBytes(4).toString('hex')}.` });
      const ready = await fetch(`${later.server.url}/readyz`);
      expect(ready.status).toBe(200);
      const store = await createStore(later.sql);
      const product = await createProduct(later.sql);
      const owner = await signIn(later, 'owner', [store]);
      expect((await owner.push([op.purchase(store, [{ productId: product, quantity: 3 }])])).status).toBe(200);
      expect(await unpublished(later.sql)).toBeGreaterThan(0);
      await kafkaCtl('start');
      await until(async () => (await unpublished(later!.sql)) === 0, 90_000, 'the log to be published after the broker returned');
    } finally {
      await kafkaCtl('start');
      await later?.close();
    }
  }, 300_000);
});
