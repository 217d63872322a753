import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, type CustomerDoc, type Operation, type SaleOperation } from '@bazaar/shared';
import { countRows, createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';

// The udhaar ledger against real PostgreSQL (SPEC.md L1-L4): two phones that
// add the same regular offline end with one account; balances are exact to
// the paisa whatever order and however often the phones push; what cannot be
// recorded is refused with a reason and kept; older apps never see it.
let h: Harness;
let store: string;
let rice: string;
let phoneA: ApiClient;
let phoneB: ApiClient;

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const customer = (customerId: string, name: string, phone?: string, deviceId = 'phone-a', createdAt = at(60)): Operation => ({
  id: randomUUID(), storeId: store, deviceId, createdAt, type: 'customer', customerId, name, ...(phone === undefined ? {} : { phone }),
});
const creditSale = (customerId: string, quantity: number, unitPrice: number, deviceId = 'phone-a', createdAt = at(50)): Operation => ({
  ...(op.sale(store, [{ productId: rice, quantity, unitPrice }], deviceId) as SaleOperation),
  createdAt,
  payment: { method: 'credit', customerId, customer: { name: 'Bilal', phone: '0300-1234567' } },
});
const payment = (customerId: string, amount: number, deviceId = 'phone-a', createdAt = at(10)): Operation => ({
  id: randomUUID(), storeId: store, deviceId, createdAt, type: 'credit_payment', customerId, amount, method: 'easypaisa', reference: 'EP-1234',
});

async function customers(client: ApiClient, protocol?: string): Promise<CustomerDoc[]> {
  const res = await client.request('GET', '/api/sync/customers/pull?limit=2000', undefined, protocol ? { [PROTOCOL_HEADER]: protocol } : {});
  expect(res.status).toBe(200);
  return res.body.documents;
}

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Ledger Kiryana');
  rice = await createProduct(h.sql);
  phoneA = await signIn(h, 'shopkeeper', [store]);
  phoneB = await signIn(h, 'shopkeeper', [store]);
});
afterAll(async () => {
  await h?.close();
});

describe('the udhaar ledger on the server', () => {
  it('L2 the same regular added on two phones offline is one account; L4 its balance is exact, however often and in whatever order they push', async () => {
    const onA = randomUUID();
    const onB = randomUUID();
    const fromA = [customer(onA, 'Bilal', '0300-1234567', 'phone-a', at(60)), creditSale(onA, 1.5, 33.33, 'phone-a', at(50)), payment(onA, 20, 'phone-a', at(30))];
    const fromB = [customer(onB, 'Bilal bhai', '+92 300 1234567', 'phone-b', at(55)), creditSale(onB, 2, 19.99, 'phone-b', at(40)), payment(onB, 10.5, 'phone-b', at(20))];
    // Both at once, then each again (a retry after a lost answer).
    const [a, b] = await Promise.all([phoneA.push(fromA), phoneB.push(fromB)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await phoneB.push(fromB)).status).toBe(200);
    expect((await phoneA.push(fromA)).status).toBe(200);

    const docs = await customers(phoneA);
    const [first, second] = [docs.find((d) => d.mergedInto === null)!, docs.find((d) => d.mergedInto !== null)!];
    expect(docs).toHaveLength(2);
    expect(second.mergedInto).toBe(first.id);
    expect(first.phone).toBe('923001234567');
    // 1.5 × 33.33 = 49.995 → Rs 50.00, 2 × 19.99 = 39.98; paid 20 and 10.50.
    expect(first.balance).toBe(59.48);
    expect(first.lastPaymentAt).toBe(new Date(fromB[2]!.createdAt).toISOString());
    // Payments settle the oldest sale first: 30.50 paid of the 50 sold first, so it is owed since that sale.
    expect(first.owedSince).toBe(new Date(fromA[1]!.createdAt).toISOString());
    expect(await countRows(h.sql, 'ledger_entries', 'store_id = $1', [store])).toBe(4);
    // Both phones read the same account.
    expect(await customers(phoneB)).toEqual(docs);
  });

  it('a credit sale naming a customer the server has not heard of still sells, and the customer is made from what the counter typed', async () => {
    const fresh = randomUUID();
    const sale = { ...(creditSale(fresh, 1, 80) as SaleOperation), payment: { method: 'credit' as const, customerId: fresh, customer: { name: 'Nadia', phone: '0321-7654321' } } };
    expect((await phoneA.push([sale])).status).toBe(200);
    const doc = (await customers(phoneA)).find((d) => d.id === fresh);
    expect(doc).toMatchObject({ name: 'Nadia', phone: '923217654321', balance: 80, mergedInto: null });
    const { rows } = await h.sql.query(`SELECT status FROM operations WHERE id = $1`, [sale.id]);
    expect(rows[0].status).toBe('applied');
  });

  it('what cannot be recorded is refused with a reason, kept, and changes no account', async () => {
    const known = randomUUID();
    await phoneA.push([customer(known, 'Asif', '0333-1112222')]);
    const refused = [payment(randomUUID(), 100), payment(known, 0), payment(known, 12.345), customer(randomUUID(), 'Zain', '12345'), customer(known, 'Asif', '0300-1234567')];
    const res = await phoneA.push(refused);
    expect(res.status).toBe(200);
    const { rows } = await h.sql.query<{ id: string; status: string; reason: string }>(`SELECT id, status, reason FROM operations WHERE id = ANY($1::uuid[])`, [refused.map((o) => o.id)]);
    const reasonOf = new Map(rows.map((r) => [r.id, `${r.status}:${r.reason}`]));
    expect(refused.map((o) => reasonOf.get(o.id))).toEqual([
      'rejected:unknown_customer',
      'rejected:invalid_amount',
      'rejected:invalid_amount',
      'rejected:invalid_phone',
      'rejected:phone_taken',
    ]);
    expect(await countRows(h.sql, 'rejected_operations', 'operation_id = ANY($1::uuid[])', [refused.map((o) => o.id)])).toBe(5);
    expect((await customers(phoneA)).find((d) => d.id === known)).toMatchObject({ balance: 0, phone: '923331112222' });
  });

  it('an older app (protocol 3) is sent no ledger records and no customer ids on sales', async () => {
    const res = await phoneA.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '3' });
    expect(res.status).toBe(200);
    const documents = res.body.documents as Operation[];
    expect(documents.some((d) => d.type === 'customer' || d.type === 'credit_payment')).toBe(false);
    const sales = documents.filter((d) => d.type === 'sale');
    expect(sales.length).toBeGreaterThan(0);
    for (const sale of sales) expect(sale.payment).not.toHaveProperty('customerId');
    // The checkpoint still moves past them, so the older app's pull is not stuck.
    const fresh = await phoneA.request('GET', '/api/sync/operations/pull?limit=2000');
    expect(res.body.checkpoint).toEqual(fresh.body.checkpoint);
  });

  it('nobody reads or writes another store’s ledger; a manager may not record at the counter', async () => {
    const elsewhere = await createStore(h.sql, 'Other Shop');
    const stranger = await signIn(h, 'shopkeeper', [elsewhere]);
    expect(await customers(stranger)).toEqual([]);
    const docs = await customers(phoneA);
    expect((await stranger.push([payment(docs[0]!.id, 10)])).status).toBe(403);
    const manager = await signIn(h, 'manager', [store]);
    expect((await manager.push([payment(docs[0]!.id, 10)])).status).toBe(403);
  });
});
