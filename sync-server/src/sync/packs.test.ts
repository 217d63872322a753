import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, type Operation, type PurchaseOperation, type ReturnOperation, type SaleOperation } from '@bazaar/shared';
import { createProduct, createStore, eventsOf, eventsPublished, signIn, startHarness, stockOf, type ApiClient, type Harness } from '../../test/harness';

// Lines by the pack (SPEC.md R13) on real PostgreSQL: stock moves in base
// units, the price is per pack, a carton sold can come back as pieces, and
// apps that know no packs pull the same line in base units.
let h: Harness;
let store: string;
let biscuits: string;
let owner: ApiClient;

const at = () => ({ id: randomUUID(), storeId: store, deviceId: 'counter', createdAt: new Date().toISOString() });
const sale = (lines: SaleOperation['lines']): SaleOperation => ({ ...at(), type: 'sale', lines, payment: { method: 'cash' } });
const back = (saleId: string, lines: ReturnOperation['lines']): ReturnOperation => ({ ...at(), type: 'return', saleId, lines });
const purchase = (lines: PurchaseOperation['lines']): PurchaseOperation => ({ ...at(), type: 'purchase', lines, supplier: 'Metro' });
async function outcome(id: string) {
  const { rows } = await h.sql.query<{ status: string; reason: string | null }>(`SELECT status, reason FROM operations WHERE id = $1`, [id]);
  return rows[0];
}

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Packs Kiryana');
  biscuits = await createProduct(h.sql);
  owner = await signIn(h, 'owner', [store]);
});
afterAll(async () => {
  await h?.close();
});

describe('lines by the pack', () => {
  it('R13 a carton bought adds 24 pieces at its cost, a carton sold moves 24 at the carton price, and the sale keeps both', async () => {
    const bought = purchase([{ productId: biscuits, quantity: 2, unitCost: 2000, packSize: 24 }]);
    const sold = sale([
      { productId: biscuits, quantity: 1, unitPrice: 2300, packSize: 24 },
      { productId: biscuits, quantity: 5, unitPrice: 100 },
    ]);
    await owner.push([bought]);
    await owner.push([sold]);
    await owner.push([sold]);
    expect(await stockOf(h.sql, store, biscuits)).toMatchObject({ quantity: 48 - 24 - 5 });
    await eventsPublished(h);
    const { rows } = await h.sql.query(`SELECT s.total::float8 AS total, l.quantity::float8 AS quantity, l.unit_price::float8 AS price, l.pack_size AS pack
                                          FROM sales s JOIN sale_lines l USING (store_id, operation_id) WHERE s.operation_id = $1 ORDER BY l.line_no`, [sold.id]);
    expect(rows).toEqual([
      { total: 2800, quantity: 1, price: 2300, pack: 24 },
      { total: 2800, quantity: 5, price: 100, pack: 1 },
    ]);
    const moved = await h.sql.query(`SELECT delta::float8 AS delta FROM movements WHERE operation_id = $1 ORDER BY line_no`, [sold.id]);
    expect(moved.rows).toEqual([{ delta: -24 }, { delta: -5 }]);
    // The event carries the carton's exact price and a piece's share of it, so any reader counts Rs 2,300 for the carton.
    const events = (await eventsOf(h, sold.id)).filter((e) => e.topic === 'inventory.movements').map((e) => e.event);
    expect(events).toMatchObject([
      { delta: -24, unitPrice: 2300 / 24, packPrice: 2300, packSize: 24 },
      { delta: -5, unitPrice: 100 },
    ]);
    expect((events[1] as { packSize?: number }).packSize).toBeUndefined();

    // Apps of protocol 5 know no packs: the carton reaches them as 24 pieces at a 24th of its price.
    const older = await owner.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '5' });
    const pulled = (older.body.documents as Operation[]).find((d) => d.id === sold.id) as SaleOperation;
    expect(pulled.lines[0]).toEqual({ productId: biscuits, quantity: 24, unitPrice: 2300 / 24 });
    // So do those of protocol 1, whose other changes once skipped every later one.
    const oldest = await owner.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '1' });
    expect(((oldest.body.documents as Operation[]).find((d) => d.id === sold.id) as SaleOperation).lines[0]).toEqual({ productId: biscuits, quantity: 24, unitPrice: 2300 / 24 });
    const current = await owner.request('GET', '/api/sync/operations/pull?limit=2000');
    expect(((current.body.documents as Operation[]).find((d) => d.id === sold.id) as SaleOperation).lines[0]).toMatchObject({ quantity: 1, packSize: 24 });
  });

  it('R12 a carton sold comes back as loose pieces: 20 of its 24 plainly, 5 more flagged as over the sale', async () => {
    const sold = sale([{ productId: biscuits, quantity: 1, unitPrice: 2300, packSize: 24 }]);
    await owner.push([sold]);
    const first = back(sold.id, [{ productId: biscuits, quantity: 20, unitPrice: 95 }]);
    await owner.push([first]);
    expect(await outcome(first.id)).toEqual({ status: 'applied', reason: null });
    const second = back(sold.id, [{ productId: biscuits, quantity: 5, unitPrice: 95 }]);
    await owner.push([second]);
    expect(await outcome(second.id)).toEqual({ status: 'applied', reason: 'over_return' });
  });

  it('R6 a pack of no pieces, of half a piece, or one that moves more than a line may, is refused with a reason and moves nothing', async () => {
    const before = await stockOf(h.sql, store, biscuits);
    const refused = [
      [sale([{ productId: biscuits, quantity: 1, unitPrice: 10, packSize: 0 }]), 'invalid_quantity'],
      [sale([{ productId: biscuits, quantity: 1, unitPrice: 10, packSize: 1.5 }]), 'invalid_quantity'],
      [purchase([{ productId: biscuits, quantity: 1, unitCost: 10, packSize: 6_901_234_567_890 }]), 'out_of_range'],
      [purchase([{ productId: biscuits, quantity: 50_000, unitCost: 10, packSize: 24 }]), 'out_of_range'],
    ] as const;
    const res = await owner.push(refused.map(([o]) => o as Operation));
    expect(res.status).toBe(200);
    for (const [o, reason] of refused) expect(await outcome(o.id)).toEqual({ status: 'rejected', reason });
    expect(await stockOf(h.sql, store, biscuits)).toEqual(before);
  });

  it('a purchase says how it was paid: kept with it, pulled by apps that know it, left out for those that do not; another word is a 400 that keeps nothing', async () => {
    const owed = { ...purchase([{ productId: biscuits, quantity: 1, unitCost: 2000, packSize: 24 }]), invoiceRef: 'INV-33', paid: 'owed' as const };
    await owner.push([owed]);
    await eventsPublished(h);
    const { rows } = await h.sql.query(`SELECT paid, supplier, invoice_ref, total::float8 AS total FROM purchases WHERE operation_id = $1`, [owed.id]);
    expect(rows).toEqual([{ paid: 'owed', supplier: 'Metro', invoice_ref: 'INV-33', total: 2000 }]);
    const current = await owner.request('GET', '/api/sync/operations/pull?limit=2000');
    expect((current.body.documents as Operation[]).find((d) => d.id === owed.id)).toMatchObject({ paid: 'owed', invoiceRef: 'INV-33' });
    const older = await owner.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '5' });
    expect((older.body.documents as Operation[]).find((d) => d.id === owed.id)).not.toHaveProperty('paid');

    const cheque = { ...purchase([{ productId: biscuits, quantity: 1, unitCost: 10 }]), paid: 'cheque' };
    const res = await owner.push([cheque as unknown as Operation]);
    expect(res.status).toBe(400);
    expect(await outcome(cheque.id)).toBeUndefined();
  });
});
