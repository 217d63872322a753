import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationDoc } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';

// Generated batches against the real server on real PostgreSQL: whatever the
// shared schema lets through, a push never answers 5xx, the stock is exactly
// the sum of the movements applied, and every operation is pulled back once
// with its outcome (SPEC.md R1, R6, R10, R11). Seeded, so a failure repeats.
const SEED = 20261201;
const RUNS = 300;

let h: Harness;
let store: string;
let otherStore: string;
let owner: ApiClient;
let products: string[];
let foreignIds: string[];

beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PUSH_PER_MIN: '100000' });
  store = await createStore(h.sql, 'Property');
  otherStore = await createStore(h.sql, 'Elsewhere');
  owner = await signIn(h, 'owner', [store]);
  products = await Promise.all([createProduct(h.sql), createProduct(h.sql), createProduct(h.sql)]);
  // Ids another store already holds, for the generator to reuse.
  const stranger = await signIn(h, 'owner', [otherStore]);
  const theirs = [0, 1, 2].map(() => op.sale(otherStore, [{ productId: products[0]!, quantity: 1 }]));
  expect((await stranger.push(theirs)).status).toBe(200);
  foreignIds = theirs.map((o) => o.id);
});
afterAll(() => h?.close());

const extremes = [8964000123456, 1e10, 1e7, 1_000_000, 1_000_000.001, 999_999.999, 2 ** 31, 2 ** 53, 1e300, 0.0001, 0.001, 0, -0, -1, -5];
const quantity = fc.oneof(fc.constantFrom(1, 2, 0.5, 3.25, ...extremes), fc.double({ noNaN: true, noDefaultInfinity: true }));
const price = fc.oneof(fc.constantFrom(0, 120, 320.5, 9_999_999.99, 0.001, -1, ...extremes), fc.double({ noNaN: true, noDefaultInfinity: true }));
const version = fc.oneof(fc.nat(6), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 53));
// Unstorable text and times make the whole push a 400, so they come rarely enough for most batches to apply.
const words = fc.oneof(
  { weight: 12, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('Aslam', 'اسلم بھائی', 'a\u0000b', 'x\ud800', '\udc00', '😀 dukaan', ' ') },
);
const createdAt = fc.oneof(
  { weight: 24, arbitrary: fc.constant('now') },
  { weight: 1, arbitrary: fc.constantFrom('0000-01-01T00:00:00Z', '2026-01-01T00:00:00+23:59', '1970-01-01T00:00:00Z', '2200-01-01T00:00:00Z', '2026-11-24T10:15:00+05:00', '1999-12-31T23:59:59Z') },
);
const productId = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...[0, 1, 2].map(String)) }, { weight: 1, arbitrary: fc.constant('unknown') });
/** How an operation picks its id: fresh, one pushed earlier in this test, or one another store holds. */
const idChoice = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'fresh' as const }) },
  { weight: 2, arbitrary: fc.nat().map((n) => ({ kind: 'earlier' as const, n })) },
  { weight: 1, arbitrary: fc.nat(2).map((n) => ({ kind: 'foreign' as const, n })) },
);

const lines = <T,>(line: fc.Arbitrary<T>) => fc.array(line, { minLength: 1, maxLength: 4 });
const operation = fc.record({
  id: idChoice,
  createdAt,
  deviceId: fc.oneof({ weight: 8, arbitrary: fc.constant('phone-1') }, { weight: 1, arbitrary: words.filter((w) => w.length > 0) }),
  body: fc.oneof(
    fc.record({
      type: fc.constant('sale'),
      lines: lines(fc.record({ productId, quantity, unitPrice: price })),
      payment: fc.oneof(fc.constant({ method: 'cash' }), words.map((name) => ({ method: 'credit', customer: { name: name.trim() || 'x' } }))),
    }),
    fc.record({ type: fc.constant('return'), lines: lines(fc.record({ productId, quantity, unitPrice: price })) }),
    fc.record({ type: fc.constant('purchase'), lines: lines(fc.record({ productId, quantity, unitCost: price })), supplier: words }),
    fc.record({ type: fc.constant('adjustment'), lines: lines(fc.record({ productId, quantity })), reason: fc.constantFrom('damage', 'expiry', 'theft', 'correction') }),
    fc.record({ type: fc.constant('count'), lines: lines(fc.record({ productId, countedQuantity: quantity, baseVersion: version })) }),
    fc.record({
      type: fc.constant('store_product_update'),
      productId,
      baseVersion: version,
      changes: fc.record({ price: fc.oneof(price, fc.constant(null)), reorderLevel: fc.oneof(quantity, fc.constant(null)) }, { requiredKeys: [] }),
    }),
  ),
});
/** One batch in twenty starts with an operation for a store the user does not belong to: that push is 403. */
const batch = fc.record({ operations: fc.array(operation, { minLength: 1, maxLength: 8 }), strayStore: fc.nat(19).map((n) => n === 0) });

describe('push, generated', () => {
  it('R10 no generated batch makes a push answer 5xx; stock is the sum of the applied movements; each operation is pulled once with its outcome', async () => {
    const pushed = new Set<string>();
    const statuses = new Map<number, number>();
    const real = (p: string) => (p === 'unknown' ? randomUUID() : products[Number(p)]!);

    await fc.assert(
      fc.asyncProperty(batch, async ({ operations, strayStore }) => {
        const earlier = [...pushed];
        const wire = operations.map((o, i) => {
          const id =
            o.id.kind === 'foreign' ? foreignIds[o.id.n]! : o.id.kind === 'earlier' && earlier.length > 0 ? earlier[o.id.n % earlier.length]! : randomUUID();
          const body = JSON.parse(JSON.stringify(o.body), (key, value) => (key === 'productId' ? real(value) : value));
          return {
            id,
            storeId: strayStore && i === 0 ? otherStore : store,
            deviceId: o.deviceId,
            createdAt: o.createdAt === 'now' ? new Date().toISOString() : o.createdAt,
            ...body,
          };
        });
        const res = await owner.request(
          'POST',
          '/api/sync/operations/push',
          wire.map((w) => ({ newDocumentState: w, assumedMasterState: null })),
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([200, 400, 403], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 200) {
          for (const w of wire) pushed.add(w.id);
          // A conflict answer is always this store's own document.
          for (const doc of res.body as { storeId: string }[]) expect(doc.storeId).toBe(store);
        } else {
          const fresh = wire.filter((w) => !pushed.has(w.id)).map((w) => w.id);
          const { rows } = await h.sql.query('SELECT count(*)::int AS n FROM operations WHERE store_id = $1 AND id = ANY($2::uuid[])', [store, fresh]);
          expect(rows[0].n).toBe(0);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    // Every batch kind was exercised, not only refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 3);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(0);

    // Stock = opening (nothing) + the sum of the movements applied; its version counts them.
    const { rows: drift } = await h.sql.query(
      `SELECT s.product_id, s.quantity, s.version, m.total, m.n
         FROM stock s LEFT JOIN (SELECT product_id, sum(delta) AS total, count(*)::int AS n FROM movements WHERE store_id = $1 GROUP BY product_id) m
           USING (product_id)
        WHERE s.store_id = $1 AND (s.quantity <> coalesce(m.total, 0) OR s.version <> coalesce(m.n, 0))`,
      [store],
    );
    expect(drift).toEqual([]);
    const { rows: applied } = await h.sql.query(`SELECT count(*)::int AS n FROM movements WHERE store_id = $1`, [store]);
    expect(applied[0].n).toBeGreaterThan(0);

    // Pulled back: each pushed id exactly once, with an outcome, and only this store's documents.
    const seen = new Map<string, number>();
    let checkpoint: object | null = null;
    for (;;) {
      const page = await owner.pull('operations', checkpoint, 2000);
      expect(page.status).toBe(200);
      for (const doc of page.body.documents as unknown[]) {
        // Each pulled document reads as the shared schema reads it: the operation as written, the outcome beside it.
        const { id, storeId, outcome } = OperationDoc.parse(doc);
        expect(storeId).toBe(store);
        expect(['applied', 'rejected']).toContain(outcome.status);
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      checkpoint = page.body.checkpoint;
      if (page.body.documents.length < 2000) break;
    }
    expect([...seen.values()].filter((n) => n !== 1)).toEqual([]);
    expect([...pushed].filter((id) => !seen.has(id))).toEqual([]);
    expect(seen.size).toBe(pushed.size);
  });
});
