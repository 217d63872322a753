import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Operation, StoreProductState } from '../protocol/operations';
import { cellKey, historyKey, resolveBatch, type BatchSnapshot } from './resolve';

const store = randomUUID();
const rice = randomUUID();
const tea = randomUUID();

function snapshot(partial: Partial<BatchSnapshot> = {}): BatchSnapshot {
  return {
    products: new Set([rice, tea]),
    stock: new Map(),
    history: new Map(),
    storeProducts: new Map(),
    ...partial,
  };
}

const base = () => ({ id: randomUUID(), storeId: store, deviceId: 'phone-1', createdAt: new Date().toISOString() });
const sale = (productId: string, quantity: number): Operation => ({
  ...base(),
  type: 'sale',
  lines: [{ productId, quantity, unitPrice: 100 }],
  payment: { method: 'cash' },
});
const count = (productId: string, countedQuantity: number, baseVersion: number): Operation => ({
  ...base(),
  type: 'count',
  lines: [{ productId, countedQuantity, baseVersion }],
});

describe('resolveBatch', () => {
  it('R2 deltas commute: the order of two sales does not change the final quantity', () => {
    const start = snapshot({ stock: new Map([[cellKey(store, rice), { quantity: 10_000, version: 4 }]]) });
    const a = sale(rice, 3);
    const b = sale(rice, 1.5);
    const ab = resolveBatch([a, b], start).stock.get(cellKey(store, rice));
    const ba = resolveBatch([b, a], start).stock.get(cellKey(store, rice));
    expect(ab?.quantity).toBe(5_500);
    expect(ba?.quantity).toBe(5_500);
    expect(ab?.version).toBe(6);
  });

  it('R2 sums decimal quantities exactly', () => {
    const ops = Array.from({ length: 1000 }, () => sale(rice, 0.1));
    const result = resolveBatch(ops, snapshot({ stock: new Map([[cellKey(store, rice), { quantity: 100_000, version: 1 }]]) }));
    expect(result.stock.get(cellKey(store, rice))?.quantity).toBe(0);
  });

  it('R3 a sale beyond stock is applied and flagged as a discrepancy', () => {
    const [outcome] = resolveBatch([sale(rice, 2)], snapshot({ stock: new Map([[cellKey(store, rice), { quantity: 1000, version: 1 }]]) })).outcomes;
    expect(outcome).toMatchObject({ status: 'applied', discrepancy: true, reason: 'negative_stock' });
    expect(outcome?.movements[0]).toMatchObject({ delta: -2000, quantity: -1000, version: 2 });
  });

  it('R4 a count is rebased on the version it was taken at', () => {
    // At version 5 there were 50; since then 4 were sold (version 7 has 46). The
    // shopkeeper counted 48 at version 5: 2 were missing, so 44 remain now.
    const start = snapshot({
      stock: new Map([[cellKey(store, rice), { quantity: 46_000, version: 7 }]]),
      history: new Map([[historyKey(store, rice, 5), 50_000]]),
    });
    const [outcome] = resolveBatch([count(rice, 48, 5)], start).outcomes;
    expect(outcome?.status).toBe('applied');
    expect(outcome?.movements[0]).toMatchObject({ delta: -2000, quantity: 44_000, version: 8, baseVersion: 5 });
  });

  it('R4 a count at a version that never existed is refused', () => {
    const start = snapshot({ stock: new Map([[cellKey(store, rice), { quantity: 1000, version: 2 }]]) });
    const [outcome] = resolveBatch([count(rice, 3, 9)], start).outcomes;
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'unknown_base_version' });
  });

  it('R4 a count can refer to a version made earlier in the same batch', () => {
    const first = sale(rice, 1); // version 0 -> 1, quantity -1
    const [, second] = resolveBatch([first, count(rice, 5, 1)], snapshot()).outcomes;
    expect(second?.movements[0]).toMatchObject({ delta: 6000, quantity: 5000, version: 2 });
  });

  it('R6 an impossible operation is refused whole and the rest of the batch applies', () => {
    const bad: Operation = {
      ...base(),
      type: 'sale',
      lines: [
        { productId: rice, quantity: 1, unitPrice: 10 },
        { productId: randomUUID(), quantity: 1, unitPrice: 10 },
      ],
      payment: { method: 'cash' },
    };
    const result = resolveBatch([bad, sale(tea, 1), sale(rice, 0), sale(rice, -2)], snapshot());
    expect(result.outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['rejected', 'unknown_product'],
      ['applied', 'negative_stock'],
      ['rejected', 'invalid_quantity'],
      ['rejected', 'invalid_quantity'],
    ]);
    expect(result.stock.has(cellKey(store, rice))).toBe(false);
  });

  it('R5 a store product edit on a stale version conflicts with the current state', () => {
    const current: StoreProductState = { storeId: store, productId: rice, price: 250, reorderLevel: 5, active: true, version: 3 };
    const edit = (baseVersion: number, price: number): Operation => ({
      ...base(),
      type: 'store_product_update',
      productId: rice,
      baseVersion,
      changes: { price },
    });
    const result = resolveBatch(
      [edit(2, 240), edit(3, 260), edit(3, 270), edit(9, 1)],
      snapshot({ storeProducts: new Map([[cellKey(store, rice), current]]) }),
    );
    expect(result.outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['rejected', 'stale_version'],
      ['applied', null],
      ['rejected', 'stale_version'], // the edit before it in the batch already moved the version to 4
      ['rejected', 'unknown_base_version'],
    ]);
    expect(result.outcomes[0]?.current).toEqual(current);
    expect(result.storeProducts.get(cellKey(store, rice))).toMatchObject({ price: 260, version: 4 });
  });

  it('refuses an edit that changes nothing and a price with more than 2 decimals', () => {
    const edit = (changes: { price?: number }): Operation => ({ ...base(), type: 'store_product_update', productId: tea, baseVersion: 0, changes });
    const result = resolveBatch([edit({}), edit({ price: 1.005 })], snapshot());
    expect(result.outcomes.map((o) => o.reason)).toEqual(['empty_change', 'invalid_price']);
  });
});
