import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../db/database';
import { createProduct, createStore, op, signIn, startHarness, type Harness } from '../../test/harness';
import { createInProcessPublisher, type OutboxRecord } from './publisher';
import { OutboxRelay } from './relay';

// O3: relays on several instances publish every outbox row once, in outbox order.
let h: Harness;
let db: Database;

beforeAll(async () => {
  // A long poll keeps the harness's own relay out of the way; the test drives two of its own.
  h = await startHarness({ OUTBOX_POLL_MS: '3600000' });
  await h.server.relay.stop();
  db = createDatabase({ url: h.database.url, poolSize: 4 });
});
afterAll(async () => {
  await db?.close();
  await h?.close();
});

describe('outbox relay', () => {
  it('O3 two relays at once publish each row exactly once, in id order', async () => {
    const store = await createStore(h.sql);
    const product = await createProduct(h.sql);
    const owner = await signIn(h, 'owner', [store]);
    for (let i = 0; i < 30; i++) {
      await owner.push([op.sale(store, [{ productId: product, quantity: 1 }]), op.sale(store, [{ productId: product, quantity: 1 }])]);
    }
    const published: OutboxRecord[] = [];
    const relays = [1, 2].map(() => {
      const publisher = createInProcessPublisher();
      publisher.subscribe(async (records) => {
        published.push(...records);
      });
      return new OutboxRelay(db.pool, publisher, { pollMs: 5, batchSize: 7 });
    });
    const drain = async (relay: OutboxRelay) => {
      for (let idle = 0; idle < 20; ) idle = (await relay.runOnce()) === 0 ? idle + 1 : 0;
    };
    await Promise.all(relays.map(drain));

    const { rows } = await h.sql.query<{ id: number }>('SELECT id FROM outbox ORDER BY id');
    expect(rows.length).toBe(30 * 2 * 3);
    expect(published.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    const { rows: left } = await h.sql.query('SELECT 1 FROM outbox WHERE published_at IS NULL');
    expect(left).toHaveLength(0);
  });
});
