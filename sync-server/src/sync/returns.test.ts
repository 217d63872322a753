import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, ReceiptSale, returnableOnDevice, type Operation, type ReturnOperation } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, stockOf, type ApiClient, type Harness } from '../../test/harness';

// Returns against their sale (SPEC.md R12) on real PostgreSQL: taking back
// what a sale sold is a plain return; taking back more is applied and
// flagged, never refused; a sale the server does not hold is not checked.
let h: Harness;
let store: string;
let rice: string;
let daal: string;
let counter: ApiClient;

const returnOf = (saleId: string | undefined, lines: { productId: string; quantity: number; unitPrice: number }[]): ReturnOperation => ({
  id: randomUUID(), storeId: store, deviceId: 'counter', createdAt: new Date().toISOString(), type: 'return', lines, ...(saleId ? { saleId } : {}),
});
async function outcome(id: string) {
  const { rows } = await h.sql.query<{ status: string; discrepancy: boolean; reason: string | null }>(`SELECT status, discrepancy, reason FROM operations WHERE id = $1`, [id]);
  return rows[0];
}

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Returns Kiryana');
  rice = await createProduct(h.sql);
  daal = await createProduct(h.sql);
  counter = await signIn(h, 'shopkeeper', [store]);
});
afterAll(async () => {
  await h?.close();
});

describe('returns against their sale', () => {
  it('R12 what a sale sold comes back as a plain return; more than it has left is applied and flagged, and the stock still moves', async () => {
    const sale = op.sale(store, [{ productId: rice, quantity: 3, unitPrice: 250 }, { productId: daal, quantity: 1.5, unitPrice: 300 }], 'counter');
    await counter.push([sale]);
    const first = returnOf(sale.id, [{ productId: rice, quantity: 2, unitPrice: 250 }, { productId: daal, quantity: 1.5, unitPrice: 300 }]);
    await counter.push([first]);
    expect(await outcome(first.id)).toEqual({ status: 'applied', discrepancy: false, reason: null });
    // One rice is left to return; two more is one too many.
    const second = returnOf(sale.id, [{ productId: rice, quantity: 2, unitPrice: 250 }]);
    await counter.push([second]);
    await counter.push([second]);
    expect(await outcome(second.id)).toEqual({ status: 'applied', discrepancy: true, reason: 'over_return' });
    expect((await stockOf(h.sql, store, rice))?.quantity).toBe(-3 + 2 + 2);
    // A product the sale did not have is more than it has left.
    const stranger = await createProduct(h.sql);
    const third = returnOf(sale.id, [{ productId: stranger, quantity: 1, unitPrice: 10 }]);
    await counter.push([third]);
    expect(await outcome(third.id)).toMatchObject({ status: 'applied', reason: 'over_return' });
    // An app of protocol 4 does not know the reason: it pulls the flag and the words, so its strict parse never stalls.
    const older = await counter.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '4' });
    const pulled = (older.body.documents as (Operation & { discrepancy: boolean; reason: string | null; message: string })[]).find((d) => d.id === second.id);
    expect(pulled).toMatchObject({ discrepancy: true, reason: null });
    expect(pulled?.message).toContain('more was returned');
  });

  it('R12 a sale and its return in one push are checked together; a return naming a sale the server does not hold is not flagged', async () => {
    const sale = op.sale(store, [{ productId: daal, quantity: 1, unitPrice: 300 }], 'counter');
    const back = returnOf(sale.id, [{ productId: daal, quantity: 1, unitPrice: 300 }]);
    const again = returnOf(sale.id, [{ productId: daal, quantity: 0.5, unitPrice: 300 }]);
    const elsewhere = returnOf(randomUUID(), [{ productId: daal, quantity: 5, unitPrice: 300 }]);
    await counter.push([sale, back, again, elsewhere] as Operation[]);
    expect(await outcome(back.id)).toMatchObject({ reason: null });
    expect(await outcome(again.id)).toMatchObject({ status: 'applied', reason: 'over_return' });
    expect(await outcome(elsewhere.id)).toMatchObject({ status: 'applied', reason: null });
  });

  it('R12 a sale older than a device’s history is found by its receipt’s number, with the returns that name it, in the caller’s stores only', async () => {
    const sale = op.sale(store, [{ productId: rice, quantity: 4, unitPrice: 250 }], 'counter');
    const back = returnOf(sale.id, [{ productId: rice, quantity: 1, unitPrice: 250 }]);
    expect((await counter.push([sale, back])).status).toBe(200);
    const printed = sale.id.slice(0, 8).toUpperCase();

    const found = await counter.request('GET', `/api/stores/${store}/receipts/${encodeURIComponent(`# ${printed}`)}`);
    expect(found.status).toBe(200);
    const { sale: doc, returns } = ReceiptSale.parse(found.body);
    expect(doc).toMatchObject({ id: sale.id, type: 'sale', outcome: { status: 'applied' } });
    expect(doc.lines).toEqual((sale as typeof doc).lines);
    expect(returns.map((r) => r.id)).toEqual([back.id]);
    expect(returnableOnDevice(doc, returns)).toEqual(new Map([[rice, 3000]]));

    expect((await counter.request('GET', `/api/stores/${store}/receipts/${back.id.slice(0, 8)}`)).status).toBe(404);
    expect((await counter.request('GET', `/api/stores/${store}/receipts/12ab`)).body).toMatchObject({ reason: 'malformed_request' });
    const elsewhere = await signIn(h, 'owner', [await createStore(h.sql)]);
    expect((await elsewhere.request('GET', `/api/stores/${store}/receipts/${printed}`)).status).toBe(403);
  });
});
