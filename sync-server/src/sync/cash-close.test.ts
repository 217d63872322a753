import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, type CashCloseOperation, type Operation, type OperationDoc } from '@bazaar/shared';
import { countRows, createStore, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';

// The day's close against real PostgreSQL (SPEC.md C1-C3): recorded once
// however often it is pushed, a short drawer flagged, a second close of the
// day kept as a correction, bad figures refused with a reason and kept.
let h: Harness;
let store: string;
let counter: ApiClient;
let tablet: ApiClient;

const close = (fields: Partial<CashCloseOperation> = {}): CashCloseOperation => ({
  id: randomUUID(),
  storeId: store,
  deviceId: 'counter',
  createdAt: new Date().toISOString(),
  type: 'cash_close',
  day: '2026-12-03',
  openingFloat: 2000,
  cashIn: 10_500,
  paidOut: [{ amount: 450, note: 'Milk supplier' }],
  counted: 12_000,
  ...fields,
});

const closes = async (day = '2026-12-03') =>
  (
    await h.sql.query<{ seq: number; operation_id: string; expected_paisa: string; counted_paisa: string; difference_paisa: string }>(
      `SELECT seq, operation_id, expected_paisa, counted_paisa, difference_paisa FROM cash_closes WHERE store_id = $1 AND day = $2 ORDER BY seq`,
      [store, day],
    )
  ).rows.map((r) => ({ seq: r.seq, id: r.operation_id, expected: Number(r.expected_paisa), counted: Number(r.counted_paisa), difference: Number(r.difference_paisa) }));

async function pulled(client: ApiClient, id: string, protocol?: string): Promise<OperationDoc | undefined> {
  const res = await client.request('GET', '/api/sync/operations/pull?limit=2000', undefined, protocol ? { [PROTOCOL_HEADER]: protocol } : {});
  expect(res.status).toBe(200);
  return res.body.documents.find((d: Operation) => d.id === id);
}

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Close Kiryana');
  counter = await signIn(h, 'shopkeeper', [store]);
  tablet = await signIn(h, 'owner', [store]);
});
afterAll(async () => {
  await h?.close();
});

describe('the day’s close on the server', () => {
  it('C1 a close 50 short is recorded once, however often it is pushed, and flagged for the owner with its figures', async () => {
    const short = close();
    const [a, b] = await Promise.all([counter.push([short]), counter.push([short])]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await counter.push([short])).status).toBe(200);
    // 2000 + 10500 - 450 = 12050 expected; 12000 counted.
    expect(await closes()).toEqual([{ seq: 1, id: short.id, expected: 1_205_000, counted: 1_200_000, difference: -5_000 }]);
    expect(await countRows(h.sql, 'operations', 'id = $1', [short.id])).toBe(1);
    // The owner's tablet pulls it flagged: it waits for their review (R9).
    expect(await pulled(tablet, short.id)).toMatchObject({ counted: 12_000, outcome: { status: 'applied', discrepancy: true, reason: 'cash_difference' } });
  });

  it('C2 a second close of the day, from another device, is kept as a correction; a matching one is not flagged', async () => {
    const correction = { ...close({ counted: 12_050 }), deviceId: 'tablet' };
    expect((await tablet.push([correction])).status).toBe(200);
    expect((await closes()).map((c) => [c.seq, c.difference])).toEqual([[1, -5_000], [2, 0]]);
    expect(await pulled(counter, correction.id)).toMatchObject({ outcome: { status: 'applied', discrepancy: false, reason: null } });
    // Another day is its own first close.
    const tomorrow = close({ day: '2026-12-04', counted: 12_050 });
    await counter.push([tomorrow]);
    expect((await closes('2026-12-04')).map((c) => c.seq)).toEqual([1]);
  });

  it('C1 figures that cannot be cash are refused with a reason, kept, and close nothing', async () => {
    const refused = [close({ counted: -1 }), close({ day: '2026-02-30' }), close({ paidOut: [{ amount: 0, note: 'tea' }] }), close({ openingFloat: 1e12 })];
    expect((await counter.push(refused)).status).toBe(200);
    const { rows } = await h.sql.query<{ id: string; reason: string }>(`SELECT id, reason FROM operations WHERE id = ANY($1::uuid[]) AND status = 'rejected'`, [refused.map((o) => o.id)]);
    const reasonOf = new Map(rows.map((r) => [r.id, r.reason]));
    expect(refused.map((o) => reasonOf.get(o.id))).toEqual(['invalid_amount', 'out_of_range', 'invalid_amount', 'out_of_range']);
    expect(await countRows(h.sql, 'rejected_operations', 'operation_id = ANY($1::uuid[])', [refused.map((o) => o.id)])).toBe(4);
    expect(await countRows(h.sql, 'cash_closes', 'operation_id = ANY($1::uuid[])', [refused.map((o) => o.id)])).toBe(0);
  });

  it('a malformed close (a day that is not YYYY-MM-DD, a payout without a note) is a 400 and nothing is kept', async () => {
    const bad = [{ ...close(), day: '3/12/2026' }, { ...close(), paidOut: [{ amount: 50 }] }];
    for (const body of bad) {
      const res = await counter.push([body as Operation]);
      expect(res.status).toBe(400);
      expect(await countRows(h.sql, 'operations', 'id = $1', [body.id])).toBe(0);
    }
  });

  it('an app of protocol 4 is sent no closes, and its checkpoint still moves past them', async () => {
    const res = await counter.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '4' });
    expect(res.status).toBe(200);
    expect((res.body.documents as Operation[]).some((d) => d.type === 'cash_close')).toBe(false);
    const fresh = await counter.request('GET', '/api/sync/operations/pull?limit=2000');
    expect(res.body.checkpoint).toEqual(fresh.body.checkpoint);
  });

  it('nobody closes another store’s day; a manager does not close at the counter', async () => {
    const elsewhere = await createStore(h.sql, 'Other Shop');
    const stranger = await signIn(h, 'shopkeeper', [elsewhere]);
    expect((await stranger.push([close()])).status).toBe(403);
    const manager = await signIn(h, 'manager', [store]);
    expect((await manager.push([close()])).status).toBe(403);
  });
});
