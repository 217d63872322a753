import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, supplierBook, type Operation, type PurchaseOperation, type SupplierList } from '@bazaar/shared';
import { createProduct, createStore, eventsPublished, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';

// Suppliers (SPEC.md S1-S3) on real PostgreSQL: known by their name in a
// store, named by the latest edit whatever order the tablets push in, owed
// their owed purchases less payments, the same figures as the device's book.
let h: Harness;
let store: string;
let other: string;
let rice: string;
let owner: ApiClient;

let clock = Date.parse('2026-12-01T08:00:00.000Z');
const at = (storeId = store) => ({ id: randomUUID(), storeId, deviceId: 'tablet', createdAt: new Date((clock += 60_000)).toISOString() });
const purchase = (supplier: string, unitCost: number, paid: PurchaseOperation['paid']): Operation => ({
  ...at(), type: 'purchase', supplier, lines: [{ productId: rice, quantity: 2, unitCost }], ...(paid ? { paid } : {}),
});
const listOf = async (client: ApiClient, storeId = store) => client.request('GET', `/api/stores/${storeId}/suppliers`);

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Suppliers Kiryana');
  other = await createStore(h.sql, 'Another Kiryana');
  rice = await createProduct(h.sql);
  owner = await signIn(h, 'owner', [store, other]);
});
afterAll(async () => {
  await h?.close();
});

describe('suppliers', () => {
  it('S1-S3 two tablets name the same supplier offline: one supplier, the latest edit in any push order, owed purchases less payments, as the device works it out', async () => {
    const early = purchase('hassan  traders', 470, 'owed');
    const firstEdit = { ...at(), type: 'supplier', name: 'HASSAN TRADERS', phone: '0321-7654321' } as const;
    const lastEdit = { ...at(), type: 'supplier', name: 'Hassan Traders', phone: '+92 300 1234567', note: 'Comes on Mondays' } as const;
    const later = purchase('Hassan traders', 100.25, 'owed');
    const cash = purchase('Hassan Traders', 999, 'drawer');
    const paid = { ...at(), type: 'supplier_payment', supplier: 'hassan traders', amount: 300.5, paid: 'drawer' } as const;
    const bank = { ...at(), type: 'supplier_payment', supplier: 'Metro', amount: 50, paid: 'elsewhere', reference: 'CHQ-9' } as const;
    const ops: Operation[] = [early, firstEdit, lastEdit, later, cash, paid, bank];

    // The second tablet's edits arrive first, then the first tablet's older ones, one batch each.
    for (const op of [lastEdit, later, paid, bank, early, firstEdit, cash]) expect((await owner.push([op])).status).toBe(200);
    await owner.push([paid]);
    // What each is owed is read from the books worker's projection of the events.
    await eventsPublished(h);

    const res = await listOf(owner);
    expect(res.status).toBe(200);
    const { suppliers } = res.body as SupplierList;
    expect(suppliers).toEqual([
      { key: 'hassan traders', name: 'Hassan Traders', phone: '923001234567', note: 'Comes on Mondays', owedPaisa: 94000 + 20050 - 30050, purchases: 3, lastAt: paid.createdAt },
      { key: 'metro', name: 'Metro', phone: null, note: null, owedPaisa: -5000, purchases: 0, lastAt: bank.createdAt },
    ]);
    // The device's book from the same operations reads the same.
    expect(supplierBook(ops).map(({ lastInvoice: _l, ...a }) => a)).toEqual(suppliers);
    // Another store has none of them.
    expect(((await listOf(owner, other)).body as SupplierList).suppliers).toEqual([]);
  });

  it('a payment of no amount, or from a wallet the drawer is not, is a 400 that keeps nothing; a bad phone is refused with its reason and kept', async () => {
    for (const bad of [
      { ...at(), type: 'supplier_payment', supplier: 'Metro', amount: 10, paid: 'jazzcash' },
      { ...at(), type: 'supplier_payment', supplier: '  ', amount: 10, paid: 'drawer' },
    ]) {
      expect((await owner.push([bad as unknown as Operation])).status).toBe(400);
      expect((await h.sql.query(`SELECT 1 FROM operations WHERE id = $1`, [bad.id])).rowCount).toBe(0);
    }
    const zero = { ...at(), type: 'supplier_payment', supplier: 'Metro', amount: 0, paid: 'drawer' } as const;
    const phone = { ...at(), type: 'supplier', name: 'Karachi Flour', phone: '12345' } as const;
    await owner.push([zero, phone]);
    const { rows } = await h.sql.query(`SELECT id, status, reason FROM operations WHERE id = ANY($1) ORDER BY created_at`, [[zero.id, phone.id]]);
    expect(rows).toEqual([
      { id: zero.id, status: 'rejected', reason: 'invalid_amount' },
      { id: phone.id, status: 'rejected', reason: 'invalid_phone' },
    ]);
    const names = ((await listOf(owner)).body as SupplierList).suppliers.map((s) => s.name);
    expect(names).not.toContain('Karachi Flour');
  });

  it('only the owner pushes them; shopkeepers do not read the list; apps before protocol 6 are not sent them', async () => {
    const shopkeeper = await signIn(h, 'shopkeeper', [store]);
    const edit = { ...at(), type: 'supplier', name: 'Sabzi Mandi' } as const;
    expect((await shopkeeper.push([edit])).status).toBe(403);
    expect((await listOf(shopkeeper)).status).toBe(403);
    const manager = await signIn(h, 'manager', [store]);
    expect((await listOf(manager)).status).toBe(200);

    await owner.push([edit]);
    const current = await owner.request('GET', '/api/sync/operations/pull?limit=2000');
    expect((current.body.documents as Operation[]).some((d) => d.id === edit.id)).toBe(true);
    const older = await owner.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '5' });
    expect((older.body.documents as Operation[]).some((d) => d.type === 'supplier' || d.type === 'supplier_payment')).toBe(false);
  });
});
