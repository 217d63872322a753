import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SaleOperation } from '../protocol/operations';
import { operationProblem, packProblem } from './limits';
import { baseMilli, linesTotal } from './quantity';
import { cellKey, resolveBatch } from './resolve';
import { returnsTooMuch, soldOn } from './returns';

const store = '00000000-0000-4000-8000-000000000001';
const biscuits = '00000000-0000-4000-8000-0000000000b1';
const sale = (lines: SaleOperation['lines']): SaleOperation => ({
  id: crypto.randomUUID(), storeId: store, deviceId: 'phone', createdAt: '2026-12-03T10:00:00.000Z', type: 'sale', lines, payment: { method: 'cash' },
});

describe('lines by the pack (SPEC.md R13)', () => {
  it('a carton sold moves 24 pieces, priced per carton; pieces on another line move as themselves', () => {
    const op = sale([{ productId: biscuits, quantity: 2, unitPrice: 2300, packSize: 24 }, { productId: biscuits, quantity: 5, unitPrice: 100 }]);
    expect(operationProblem(op)).toBeNull();
    const { stock } = resolveBatch([op], { products: new Set([biscuits]), stock: new Map([[cellKey(store, biscuits), { quantity: 100_000, version: 3 }]]), history: new Map(), storeProducts: new Map() });
    expect(stock.get(cellKey(store, biscuits))).toMatchObject({ quantity: 100_000 - 48_000 - 5_000, version: 5 });
    expect(linesTotal(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice })))).toBe(5100);
    // What the sale can take back is in pieces: 53 of them, not 7.
    expect(soldOn(op)).toEqual(new Map([[biscuits, 53_000]]));
    expect(returnsTooMuch(soldOn(op), { lines: [{ productId: biscuits, quantity: 53, unitPrice: 95 }] })).toBe(false);
    expect(returnsTooMuch(soldOn(op), { lines: [{ productId: biscuits, quantity: 3, unitPrice: 2300, packSize: 24 }] })).toBe(true);
  });

  it('a pack is a whole number of base units from 1, and the pieces it moves are within a line’s limit', () => {
    expect(packProblem({ quantity: 1 })).toBeNull();
    expect(packProblem({ quantity: 1, packSize: 1 })).toBeNull();
    expect(packProblem({ quantity: 0.5, packSize: 50 })).toBeNull();
    expect(packProblem({ quantity: 1, packSize: 0 })).toBe('invalid_quantity');
    expect(packProblem({ quantity: 1, packSize: -24 })).toBe('invalid_quantity');
    expect(packProblem({ quantity: 1, packSize: 2.5 })).toBe('invalid_quantity');
    expect(packProblem({ quantity: 1, packSize: Number.NaN })).toBe('invalid_quantity');
    expect(packProblem({ quantity: 1, packSize: 8_964_000_123_456 })).toBe('out_of_range');
    expect(packProblem({ quantity: 41_667, packSize: 24 })).toBe('out_of_range');
    expect(operationProblem(sale([{ productId: biscuits, quantity: 1, unitPrice: 10, packSize: 0 }]))).toBe('invalid_quantity');
  });

  it('base units are exact to the thousandth for any pack and quantity the counter can type', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 10_000 }), (milli, packSize) => {
        expect(baseMilli({ quantity: milli / 1000, packSize })).toBe(milli * packSize);
      }),
    );
  });
});
