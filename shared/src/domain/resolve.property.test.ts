import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../protocol/operations';
import { baseMilli, toMilli } from './quantity';
import { cellKey, historyKey, resolveBatch, type StockCell } from './resolve';

// Several devices record sales, returns, purchases, adjustments and counts
// offline, each count taken on a figure the device had synced. The server
// receives their queues interleaved in any order and cut into any batches.
// Whatever the order, the final stock is the same and equals the starting
// stock plus every delta, a count contributing what it found missing or extra
// at its base version (SPEC.md R2, R4). Seeded, so a failure repeats.
const SEED = 20261205;

const store = randomUUID();
const products = [randomUUID(), randomUUID()] as const;

/** The server's side of resolveBatch: current stock and every version's quantity, carried across batches. */
class Ledger {
  readonly stock = new Map<string, StockCell>();
  readonly history = new Map<string, number>();

  push(operations: readonly Operation[]) {
    const resolution = resolveBatch(operations, {
      products: new Set(products),
      stock: this.stock,
      history: this.history,
      storeProducts: new Map(),
    });
    for (const [key, cell] of resolution.stock) this.stock.set(key, { quantity: cell.quantity, version: cell.version });
    for (const outcome of resolution.outcomes) {
      for (const m of outcome.movements) this.history.set(historyKey(m.storeId, m.productId, m.version), m.quantity);
    }
    return resolution.outcomes;
  }

  quantity(productId: string): number {
    return this.stock.get(cellKey(store, productId))?.quantity ?? 0;
  }
}

// Quantities of up to 3 decimals, some sold by the carton; small enough that no sum leaves the range.
const quantity = fc.integer({ min: 1, max: 50_000 }).map((milli) => milli / 1000);
const product = fc.constantFrom(...products);
const packSize = fc.option(fc.constantFrom(6, 12, 24), { nil: undefined });
const line = fc.record({ productId: product, quantity, packSize });
const distinctLines = fc.uniqueArray(line, { minLength: 1, maxLength: 2, selector: (l) => l.productId });

type Draft =
  | { kind: 'sale' | 'return' | 'purchase'; lines: { productId: string; quantity: number; packSize: number | undefined }[] }
  | { kind: 'adjustment'; lines: { productId: string; quantity: number }[] }
  | { kind: 'count'; lines: { productId: string; counted: number; seen: number }[] };

const draft: fc.Arbitrary<Draft> = fc.oneof(
  fc.record({ kind: fc.constantFrom('sale' as const, 'return' as const, 'purchase' as const), lines: distinctLines }),
  fc.record({
    kind: fc.constant('adjustment' as const),
    lines: fc.uniqueArray(fc.record({ productId: product, quantity: fc.oneof(quantity, quantity.map((q) => -q)) }), {
      minLength: 1,
      maxLength: 2,
      selector: (l) => l.productId,
    }),
  }),
  fc.record({
    kind: fc.constant('count' as const),
    // `seen`: which of the versions synced before going offline the device counted on.
    lines: fc.uniqueArray(fc.record({ productId: product, counted: fc.integer({ min: 0, max: 80_000 }).map((m) => m / 1000), seen: fc.nat() }), {
      minLength: 1,
      maxLength: 2,
      selector: (l) => l.productId,
    }),
  }),
);

function operation(d: Draft, deviceId: string, syncedVersions: ReadonlyMap<string, number>): Operation {
  const base = { id: randomUUID(), storeId: store, deviceId, createdAt: '2026-12-05T08:00:00.000Z' };
  switch (d.kind) {
    case 'sale':
    case 'return':
      return { ...base, type: d.kind, lines: d.lines.map((l) => ({ ...l, unitPrice: 120 })), ...(d.kind === 'sale' ? { payment: { method: 'cash' as const } } : {}) } as Operation;
    case 'purchase':
      return { ...base, type: 'purchase', lines: d.lines.map((l) => ({ ...l, unitCost: 95.5 })) };
    case 'adjustment':
      return { ...base, type: 'adjustment', reason: 'correction', lines: d.lines };
    case 'count':
      return {
        ...base,
        type: 'count',
        lines: d.lines.map((l) => ({ productId: l.productId, countedQuantity: l.counted, baseVersion: l.seen % ((syncedVersions.get(l.productId) ?? 0) + 1) })),
      };
  }
}

/** The delta each line should move, in thousandths, from the history synced before the devices went offline (R2, R4). */
function expectedDeltas(op: Operation, synced: Ledger): { productId: string; delta: number }[] {
  switch (op.type) {
    case 'sale':
      return op.lines.map((l) => ({ productId: l.productId, delta: -baseMilli(l)! }));
    case 'return':
    case 'purchase':
      return op.lines.map((l) => ({ productId: l.productId, delta: baseMilli(l)! }));
    case 'adjustment':
      return op.lines.map((l) => ({ productId: l.productId, delta: toMilli(l.quantity)! }));
    case 'count':
      return op.lines.map((l) => ({
        productId: l.productId,
        delta: toMilli(l.countedQuantity)! - (l.baseVersion === 0 ? 0 : synced.history.get(historyKey(store, l.productId, l.baseVersion))!),
      }));
    default:
      throw new Error(`not generated: ${op.type}`);
  }
}

/** Cuts a sequence into batches at the given points, as pushes of different sizes would. */
function batches<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const p of [...points, items.length]) {
    if (p > from) out.push(items.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

const scenario = fc.record({
  /** What the server had before the devices went offline: pushed and synced by all. */
  history: fc.array(draft.filter((d) => d.kind !== 'count'), { maxLength: 6 }),
  /** Each device's offline queue. */
  devices: fc.array(fc.array(draft, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 }),
  orderSeed: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
  cuts: fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 2, maxLength: 2 }),
});

/** A deterministic shuffle from a seed, so fast-check can shrink it. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('resolveBatch, property', () => {
  it('R2 R4 devices’ queues in any interleaving and batching give the same final stock: the start plus every delta, counts rebased on what they saw', () => {
    fc.assert(
      fc.property(scenario, ({ history, devices, orderSeed, cuts }) => {
        // The history every device synced before going offline.
        const synced = new Ledger();
        synced.push(history.map((d) => operation(d, 'tablet', new Map())));
        const versions = new Map(products.map((p) => [p, synced.stock.get(cellKey(store, p))?.version ?? 0]));
        const queued = devices.flatMap((queue, n) => queue.map((d) => operation(d, `phone-${n}`, versions)));

        const finals = orderSeed.map((seed, run) => {
          const server = new Ledger();
          for (const [k, v] of synced.stock) server.stock.set(k, v);
          for (const [k, v] of synced.history) server.history.set(k, v);
          const outcomes = batches(shuffled(queued, seed), cuts[run]!).flatMap((batch) => server.push(batch));

          // Nothing generated is refused: a sale beyond the shelf is applied and flagged (R3).
          expect(outcomes.filter((o) => o.status !== 'applied').map((o) => o.reason)).toEqual([]);
          // R4: each count line moved exactly what it found missing or extra at its base version.
          for (const o of outcomes) {
            const want = expectedDeltas(o.operation, synced);
            expect(o.movements.map((m) => ({ productId: m.productId, delta: m.delta }))).toEqual(want);
          }
          return products.map((p) => ({ quantity: server.quantity(p), version: server.stock.get(cellKey(store, p))?.version ?? 0 }));
        });

        const expected = products.map((p) => {
          const moved = queued.flatMap((op) => expectedDeltas(op, synced)).filter((d) => d.productId === p);
          return { quantity: synced.quantity(p) + moved.reduce((sum, d) => sum + d.delta, 0), version: (versions.get(p) ?? 0) + moved.length };
        });
        expect(finals[0]).toEqual(expected);
        expect(finals[1]).toEqual(expected);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('R4 a count on the figure a device synced corrects the shelf to what was counted plus what others did since', () => {
    fc.assert(
      fc.property(fc.array(draft.filter((d) => d.kind !== 'count'), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 80_000 }), (since, countedMilli) => {
        const server = new Ledger();
        server.push([operation({ kind: 'purchase', lines: [{ productId: products[0], quantity: 40, packSize: undefined }] }, 'tablet', new Map())]);
        const seen = server.stock.get(cellKey(store, products[0]))!.version;
        const count = operation({ kind: 'count', lines: [{ productId: products[0], counted: countedMilli / 1000, seen }] }, 'tablet', new Map([[products[0], seen]]));
        // Others sell and buy after the tablet read the shelf, and reach the server first.
        const others = since.map((d) => operation(d, 'phone', new Map()));
        server.push(others);
        const othersDelta = others.flatMap((op) => expectedDeltas(op, server)).filter((d) => d.productId === products[0]).reduce((s, d) => s + d.delta, 0);
        server.push([count]);
        expect(server.quantity(products[0])).toBe(countedMilli + othersDelta);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
