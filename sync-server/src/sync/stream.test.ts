import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../server';
import { createProduct, createStore, op, signIn, startHarness, TEST_JWT_SECRET, type Harness } from '../../test/harness';
import { services } from '../../test/services';

// The live pull stream, fanned out across two server instances through real Redis (SPEC.md S1-S2).
let h: Harness;
let second: RunningServer;

beforeAll(async () => {
  h = await startHarness({ REDIS_URL: services.redis });
  second = await startServer(
    loadConfig({ PORT: '0', DATABASE_URL: h.database.url, REDIS_URL: services.redis, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }),
  );
});
afterAll(async () => {
  await second?.stop();
  await h?.close();
});

/** Opens the event stream and collects `event: data` pairs as they arrive. */
async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/sync/stream?access_token=${encodeURIComponent(token)}`, { signal: controller.signal });
  const events: { event: string; data: unknown }[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { status: res.status, events, close: () => controller.abort() };
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('live stream', () => {
  it('S1 a push on one instance reaches a stream on another, and only for the stores the listener belongs to', async () => {
    const [store, otherStore] = await Promise.all([createStore(h.sql), createStore(h.sql)]);
    const product = await createProduct(h.sql);
    const writer = await signIn(h, 'owner', [store, otherStore]);
    const listener = await signIn(h, 'shopkeeper', [store]);
    const stream = await openStream(second.url, listener.login.accessToken);
    try {
      expect(stream.status).toBe(200);
      await eventually(() => expect(stream.events[0]).toEqual({ event: 'resync', data: 'RESYNC' }));
      await writer.push([op.sale(otherStore, [{ productId: product, quantity: 1 }])]);
      await writer.push([op.sale(store, [{ productId: product, quantity: 1 }])]);
      // One channel, in order: the other store's change would have come first. (The sale's alerts may follow.)
      await eventually(() =>
        expect(stream.events).toContainEqual({ event: 'change', data: { storeId: store, collections: ['stock', 'store-products', 'operations', 'customers'] } }),
      );
      expect(stream.events.filter((e) => (e.data as { storeId?: string }).storeId === otherStore)).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('S1 a product an admin adds is announced on every stream at once, whatever the listener’s stores', async () => {
    const store = await createStore(h.sql);
    const admin = await signIn(h, 'admin', []);
    const listener = await signIn(h, 'shopkeeper', [store]);
    const stream = await openStream(second.url, listener.login.accessToken);
    try {
      await eventually(() => expect(stream.events[0]).toEqual({ event: 'resync', data: 'RESYNC' }));
      const res = await admin.request('POST', '/api/catalog/products', {
        sku: `LIVE-${Date.now()}`,
        nameEn: 'Shan Nihari Masala',
        nameUr: 'شان نہاری مصالحہ',
        category: 'spices',
        unit: 'pack',
        defaultPrice: 180,
      });
      expect(res.status).toBe(201);
      await eventually(() => expect(stream.events).toContainEqual({ event: 'change', data: { storeId: null, collections: ['products'] } }));
    } finally {
      stream.close();
    }
  });

  it('S1 an alert the workers open is announced to the store’s streams on every instance', async () => {
    const store = await createStore(h.sql);
    const product = await createProduct(h.sql);
    const shopkeeper = await signIn(h, 'shopkeeper', [store]);
    const stream = await openStream(second.url, shopkeeper.login.accessToken);
    try {
      await eventually(() => expect(stream.events[0]).toEqual({ event: 'resync', data: 'RESYNC' }));
      // Below zero: the in-process alerts worker opens negative_stock after the relay delivers the sale.
      await shopkeeper.push([op.sale(store, [{ productId: product, quantity: 1 }])]);
      await eventually(() => expect(stream.events).toContainEqual({ event: 'change', data: { storeId: store, collections: ['alerts'] } }), 15_000);
      const pulled = await shopkeeper.request('GET', '/api/sync/alerts/pull');
      expect((pulled.body as { documents: { storeId: string; kind: string }[] }).documents).toContainEqual(
        expect.objectContaining({ storeId: store, kind: 'negative_stock' }),
      );
    } finally {
      stream.close();
    }
  });

  it('S2 the stream needs a valid token', async () => {
    const res = await fetch(`${second.url}/api/sync/stream`);
    expect(res.status).toBe(401);
    const bad = await fetch(`${second.url}/api/sync/stream?access_token=nope`);
    expect(await bad.json()).toMatchObject({ status: 'error', reason: 'unauthenticated' });
  });
});

