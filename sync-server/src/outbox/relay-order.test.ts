import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../db/database';
import { createProduct, createStore, eventsOf, op, signIn, startHarness, type Harness } from '../../test/harness';
import { createInProcessPublisher, type OutboxRecord } from './publisher';
import { OutboxRelay, unpublished } from './relay';

// O3: relays on several instances publish every event of the log once, in log order.
let h: Harness;
let db: Database;

beforeAll(async () => {
  // A long poll keeps the harness's own relay out of the way; the tests drive relays of their own.
  h = await startHarness({ OUTBOX_POLL_MS: '3600000' });
  await h.server.relay.stop();
  db = createDatabase({ url: h.database.url, poolSize: 4 });
});
afterAll(async () => {
  await db?.close();
  await h?.close();
});

function capturingRelay(published: OutboxRecord[], batchSize = 7, requests: OutboxRecord[][] = [], batchBytes?: number): OutboxRelay {
  const publisher = createInProcessPublisher();
  publisher.subscribe(async (records) => {
    published.push(...records);
    requests.push([...records]);
  });
  return new OutboxRelay(db.pool, publisher, { pollMs: 5, batchSize, ...(batchBytes ? { batchBytes } : {}) });
}

const drain = async (relay: OutboxRelay) => {
  for (let idle = 0; idle < 20; ) idle = (await relay.runOnce()) === 0 ? idle + 1 : 0;
};

describe('outbox relay', () => {
  it('O3 two relays at once publish each event of the log exactly once, in the order it was pushed', async () => {
    const store = await createStore(h.sql);
    const product = await createProduct(h.sql);
    const owner = await signIn(h, 'owner', [store]);
    const sales = [];
    for (let i = 0; i < 30; i++) {
      const batch = [op.sale(store, [{ productId: product, quantity: 1 }]), op.sale(store, [{ productId: product, quantity: 1 }])];
      await owner.push(batch);
      sales.push(...batch);
    }
    const published: OutboxRecord[] = [];
    await Promise.all([capturingRelay(published), capturingRelay(published)].map(drain));

    const expected = (await Promise.all(sales.map((s) => eventsOf(h, s.id)))).flat().map((e) => e.event.eventId);
    // The product has no stock: each sale is a movement, a discrepancy and the sale.
    expect(expected).toHaveLength(30 * 2 * 3);
    expect(published.map((r) => r.event_id)).toEqual(expected);
    expect(await unpublished(h.sql)).toBe(0);
  });

  it('O5 all the operations a relay reads go out, in requests under the byte limit, in order, and the checkpoint moves once', async () => {
    const store = await createStore(h.sql);
    const product = await createProduct(h.sql);
    const owner = await signIn(h, 'owner', [store]);
    await drain(capturingRelay([]));
    const sales = Array.from({ length: 20 }, () => op.sale(store, [{ productId: product, quantity: 1 }]));
    expect((await owner.push(sales)).status).toBe(200);

    const published: OutboxRecord[] = [];
    const requests: OutboxRecord[][] = [];
    // Each event is a few hundred bytes: 2 KB holds a handful of them.
    const relay = capturingRelay(published, 1000, requests, 2048);
    expect(await relay.runOnce()).toBe(20);
    const expected = (await Promise.all(sales.map((s) => eventsOf(h, s.id)))).flat().map((e) => e.event.eventId);
    expect(published.map((r) => r.event_id)).toEqual(expected);
    expect(requests.length).toBeGreaterThan(5);
    const bytes = (request: OutboxRecord[]) => request.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r.payload)), 0);
    expect(requests.filter((r) => r.length > 1 && bytes(r) > 2048)).toEqual([]);
    expect(await unpublished(h.sql)).toBe(0);
    expect(await relay.runOnce()).toBe(0);
  });

  it('P3 a push that commits late is published, in its place, and never skipped', async () => {
    const store = await createStore(h.sql);
    const product = await createProduct(h.sql);
    const owner = await signIn(h, 'owner', [store]);
    const published: OutboxRecord[] = [];
    const relay = capturingRelay(published);
    await drain(relay);
    published.length = 0;

    // A push's transaction that has written its operation and not yet committed.
    const late = await h.sql.connect();
    const lateId = randomUUID();
    try {
      await late.query('BEGIN');
      await late.query(
        `INSERT INTO operations (id, store_id, device_id, user_id, type, payload, status, log_seq, created_at)
         VALUES ($1, $2, 'late', $3, 'adjustment', $4, 'rejected', 0, now())`,
        [lateId, store, owner.userId, { ...op.adjustment(store, product, 1), id: lateId }],
      );
      await late.query(`UPDATE operations SET reason = 'unknown_product', message = 'late' WHERE id = $1`, [lateId]);
      // Another push commits after it started.
      const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
      expect((await owner.push([sale])).status).toBe(200);
      await drain(relay);
      expect(published).toHaveLength(0);

      await late.query('COMMIT');
      await drain(relay);
      expect(published.map((r) => [r.topic, (r.payload as { operationId: string }).operationId])).toEqual([
        ['operations.rejected', lateId],
        ['inventory.movements', sale.id],
        ['inventory.discrepancies', sale.id],
        ['sales.recorded', sale.id],
      ]);
    } finally {
      late.release();
    }
  });

  it('events an older release wrote to the outbox go out first, once', async () => {
    const eventId = randomUUID();
    await h.sql.query(`INSERT INTO outbox (event_id, topic, key, payload) VALUES ($1, 'sales.recorded', 'k', $2)`, [eventId, { eventId, old: true }]);
    const published: OutboxRecord[] = [];
    await drain(capturingRelay(published));
    expect(published.map((r) => r.event_id)).toEqual([eventId]);
    expect(await unpublished(h.sql)).toBe(0);
  });
});
