import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createStore, op, signIn, startHarness, type Harness } from '../../test/harness';
import { spareCluster } from '../../test/services';

// PostgreSQL stopped under a running server: a cluster of this file's own,
// since stopping the shared one would fail every suite running beside it.
let h: Harness;

beforeAll(async () => {
  await spareCluster.ensure();
  h = await startHarness({}, spareCluster.url);
}, 120_000);
afterAll(async () => {
  await spareCluster.start();
  await h?.close();
}, 60_000);

describe('while PostgreSQL is down', () => {
  it('pushes and pulls are answered 503 with Retry-After, /readyz names it, and the server serves again once it is back', async () => {
    const store = await createStore(h.sql);
    const product = await createProduct(h.sql);
    const owner = await signIn(h, 'owner', [store]);
    expect((await owner.push([op.purchase(store, [{ productId: product, quantity: 5 }])])).status).toBe(200);

    await spareCluster.stop();
    try {
      const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
      for (const res of [await owner.push([sale]), await owner.pull('stock')]) {
        expect(res).toMatchObject({ status: 503, body: { status: 'error', reason: 'unavailable' } });
        expect(res.headers.get('retry-after')).toBe('5');
      }
      const ready = await fetch(`${h.server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ dependencies: { postgres: 'unavailable' } });
    } finally {
      await spareCluster.start();
    }

    // Back: the same sale, retried as the device would, applies once.
    const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
    const end = Date.now() + 30_000;
    let res = await owner.push([sale]);
    while (res.status !== 200) {
      expect(res.status).toBe(503);
      expect(Date.now()).toBeLessThan(end);
      await new Promise((r) => setTimeout(r, 300));
      res = await owner.push([sale]);
    }
    expect((await owner.push([sale])).status).toBe(200);
    const { rows } = await h.sql.query('SELECT quantity::float8 AS quantity FROM stock WHERE store_id = $1 AND product_id = $2', [store, product]);
    expect(rows).toEqual([{ quantity: 4 }]);
  }, 120_000);
});
