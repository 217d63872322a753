import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Operation, StockDoc } from '@bazaar/shared';
import { projectStock } from './projected-stock';

const storeId = randomUUID();
const productId = randomUUID();
const stock = (quantity: number, version: number): StockDoc => ({ storeId, productId, quantity, version, updatedAt: '2026-12-01T09:00:00.000Z' }) as StockDoc;
const envelope = () => ({ id: randomUUID(), storeId, deviceId: 'phone', createdAt: '2026-12-01T09:30:00.000Z' });
const sale = (quantity: number): Operation => ({ ...envelope(), type: 'sale', lines: [{ productId, quantity, unitPrice: 50 }], payment: { method: 'cash' } });
const count = (countedQuantity: number, baseVersion: number): Operation => ({ ...envelope(), type: 'count', lines: [{ productId, countedQuantity, baseVersion }] });

describe('what the device shows before the server answers', () => {
  it('a count taken on the version the device holds shows the counted figure, and sales after it come off it', () => {
    const { quantities, pendingBy, countWaits } = projectStock([stock(20, 7)], [sale(2), count(12, 7), sale(1)]);
    // The server rebases the same way: 12 counted at version 7 (when 20 were recorded) is 8 missing, after the first sale's 2.
    expect(quantities.get(productId)).toBe(9);
    expect(pendingBy.get(productId)).toBe(3);
    expect(countWaits.size).toBe(0);
  });

  it('a count on an older version waits for the server, which knows what moved since; the rest still shows', () => {
    const { quantities, countWaits } = projectStock([stock(20, 7)], [count(12, 5), sale(2)]);
    expect(quantities.get(productId)).toBe(18);
    expect([...countWaits]).toEqual([productId]);
  });
});
