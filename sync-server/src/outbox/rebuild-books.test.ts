import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@bazaar/shared';
import { createProduct, createStore, eventsPublished, op, signIn, startHarness, type Harness } from '../../test/harness';
import { rebuildBooks } from './rebuild-books';

// The books are a projection of the log (issue 13): made again from it, they are what the worker made live.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const books = async (storeId: string) => {
  const read = (sql: string) => h.sql.query(sql, [storeId]).then((r) => r.rows);
  return {
    sales: await read('SELECT * FROM sales WHERE store_id = $1 ORDER BY operation_id'),
    saleLines: await read('SELECT * FROM sale_lines WHERE store_id = $1 ORDER BY operation_id, line_no'),
    purchases: await read('SELECT * FROM purchases WHERE store_id = $1 ORDER BY operation_id'),
    purchaseLines: await read('SELECT * FROM purchase_lines WHERE store_id = $1 ORDER BY operation_id, line_no'),
    payments: await read('SELECT * FROM supplier_payments WHERE store_id = $1 ORDER BY operation_id'),
  };
};

describe('books rebuilt from the log', () => {
  it('gives back exactly the sales, returns, purchases and payments the worker kept, whatever was lost or damaged', async () => {
    const store = await createStore(h.sql);
    const [rice, daal] = await Promise.all([createProduct(h.sql), createProduct(h.sql)]);
    const owner = await signIn(h, 'owner', [store]);
    const at = () => ({ id: randomUUID(), storeId: store, deviceId: 'tablet', createdAt: new Date().toISOString() });
    const sale = { ...op.sale(store, [{ productId: rice, quantity: 2, unitPrice: 250 }, { productId: daal, quantity: 1.5, unitPrice: 300 }]), payment: { method: 'credit', customer: { name: 'Bilal', phone: '03001234567' } } } as Operation;
    const operations: Operation[] = [
      { ...op.purchase(store, [{ productId: rice, quantity: 10 }, { productId: daal, quantity: 5 }]), paid: 'owed', invoiceRef: 'INV-7' } as Operation,
      sale,
      { ...at(), type: 'return', saleId: sale.id, lines: [{ productId: rice, quantity: 1, unitPrice: 250 }] },
      { ...at(), type: 'supplier_payment', supplier: 'Metro Wholesale', amount: 500, paid: 'elsewhere', reference: 'CHQ-1' },
      // Refused: not in the books.
      op.sale(store, [{ productId: randomUUID(), quantity: 1 }]),
    ];
    expect((await owner.push(operations)).status).toBe(200);
    await eventsPublished(h);
    const kept = await books(store);
    expect([kept.sales.length, kept.saleLines.length, kept.purchases.length, kept.purchaseLines.length, kept.payments.length]).toEqual([2, 3, 1, 2, 1]);

    await h.sql.query('DELETE FROM sale_lines WHERE store_id = $1', [store]);
    await h.sql.query('UPDATE sales SET total = 0 WHERE store_id = $1', [store]);
    await h.sql.query('DELETE FROM supplier_payments WHERE store_id = $1', [store]);
    expect(await rebuildBooks(h.sql, { batch: 2 })).toBeGreaterThanOrEqual(4);
    expect(await books(store)).toEqual(kept);

    // The live worker goes on from there: a new sale lands once.
    const next = op.sale(store, [{ productId: daal, quantity: 1 }]);
    expect((await owner.push([next])).status).toBe(200);
    await eventsPublished(h);
    expect((await books(store)).sales.map((s) => s.operation_id).sort()).toEqual([sale.id, operations[2]!.id, next.id].sort());
  });
});
