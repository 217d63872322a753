import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';
import { replicaCluster } from '../../test/services';

// P3 on a real hot standby: pulls read from a streaming replica, as in the
// Kubernetes manifests, where pg_stat_activity shows none of the primary's writers.
let h: Harness;
let owner: ApiClient;
let store: string;
let replica: pg.Pool;

async function replayed(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`the replica did not replay ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await replicaCluster.ensure();
  h = await startHarness({}, undefined, async (database) => {
    const url = replicaCluster.url(new URL(database.url).pathname.slice(1));
    replica = new pg.Pool({ connectionString: url, max: 2 });
    replica.on('error', () => {});
    await replayed(async () => (await replica.query('SELECT 1')).rowCount === 1, 'the new database');
    return url;
  });
  // The schema the server migrated on the primary, on the replica.
  await replayed(async () => (await replica.query(`SELECT 1 FROM pg_tables WHERE tablename = 'stock'`)).rowCount === 1, 'the migrations');
  store = await createStore(h.sql);
  owner = await signIn(h, 'owner', [store]);
}, 180_000);
afterAll(async () => {
  await replica?.end();
  await h?.close();
});

describe('pull from a streaming replica', () => {
  it('P3 a change that commits on the primary after a later one is not skipped when pulls read from the replica', async () => {
    expect(h).toBeTruthy();
    const [slow, fast] = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
    await owner.push([op.purchase(store, [{ productId: slow, quantity: 1 }, { productId: fast, quantity: 1 }])]);
    const stockOnReplica = async (productId: string, quantity: number) =>
      (await replica.query('SELECT 1 FROM stock WHERE store_id = $1 AND product_id = $2 AND quantity = $3', [store, productId, quantity])).rowCount === 1;
    await replayed(() => stockOnReplica(fast, 1), 'the purchase');
    const start = (await owner.pull('stock', null, 2000)).body.checkpoint;

    const late = await h.sql.connect();
    try {
      await late.query('BEGIN');
      await late.query('UPDATE stock SET quantity = 42, version = version + 1 WHERE store_id = $1 AND product_id = $2', [store, slow]);
      await owner.push([op.sale(store, [{ productId: fast, quantity: 1 }])]);
      // The replica has the later commit: returning it now would move the checkpoint past `slow`.
      await replayed(() => stockOnReplica(fast, 0), 'the later sale');
      const during = await owner.pull('stock', start, 2000);
      expect(during.body.documents).toEqual([]);
      await late.query('COMMIT');
    } finally {
      late.release();
    }
    await replayed(() => stockOnReplica(slow, 42), 'the late commit');
    const after = await owner.pull('stock', start, 2000);
    expect(after.body.documents.map((d: { id: string }) => d.id).sort()).toEqual([`${store}:${slow}`, `${store}:${fast}`].sort());
  }, 60_000);
});
