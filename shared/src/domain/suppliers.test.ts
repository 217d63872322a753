import { describe, expect, it } from 'vitest';
import type { Operation, PurchaseOperation } from '../protocol/operations';
import { supplierBook, supplierNamings } from './suppliers';
import type { HeldOperation } from './held';

/** When the server refused what the tests refuse. */
const createdAtRefused = '2026-12-03T12:00:00.000Z';

const store = '00000000-0000-4000-8000-000000000001';
const rice = '00000000-0000-4000-8000-0000000000a1';
let n = 0;
const purchase = (supplier: string | undefined, unitCost: number, paid: PurchaseOperation['paid'], createdAt: string, extra: object = {}): HeldOperation => ({
  id: `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`, storeId: store, deviceId: 'tablet', createdAt, type: 'purchase',
  lines: [{ productId: rice, quantity: 2, unitCost }], ...(supplier === undefined ? {} : { supplier }), ...(paid ? { paid } : {}), ...extra,
});

describe('what is owed to suppliers', () => {
  it('sums the owed purchases by supplier, whatever the spelling of case and spaces; most owed first', () => {
    const book = supplierBook([
      purchase('Metro', 100, 'owed', '2026-12-01T10:00:00.000Z'),
      purchase('  metro ', 50.5, 'owed', '2026-12-02T10:00:00.000Z', { invoiceRef: 'INV-7' }),
      purchase('Metro', 999, 'drawer', '2026-11-30T10:00:00.000Z'),
      purchase('Hassan Traders', 400, 'owed', '2026-12-01T09:00:00.000Z'),
      purchase('Hassan Traders', 400, 'owed', '2026-12-03T09:00:00.000Z', { outcome: { status: 'rejected', receivedAt: createdAtRefused } }),
      purchase('Karachi Flour', 10, 'elsewhere', '2026-12-03T08:00:00.000Z'),
      purchase(undefined, 10, 'owed', '2026-12-03T08:00:00.000Z'),
    ]);
    const none = { phone: null, note: null };
    expect(book).toEqual([
      { key: 'hassan traders', name: 'Hassan Traders', ...none, owedPaisa: 80000, purchases: 1, lastAt: '2026-12-01T09:00:00.000Z', lastInvoice: null },
      { key: 'metro', name: 'metro', ...none, owedPaisa: 30100, purchases: 3, lastAt: '2026-12-02T10:00:00.000Z', lastInvoice: 'INV-7' },
      { key: 'karachi flour', name: 'Karachi Flour', ...none, owedPaisa: 0, purchases: 1, lastAt: '2026-12-03T08:00:00.000Z', lastInvoice: null },
    ]);
  });

  it('payments lower what is owed, to the paisa, and may go ahead of it; a refused one counts for nothing', () => {
    const book = supplierBook([
      purchase('Metro', 100.1, 'owed', '2026-12-01T10:00:00.000Z'),
      payment('metro', 150.05, '2026-12-02T10:00:00.000Z'),
      payment('Metro', 50, '2026-12-02T11:00:00.000Z', { outcome: { status: 'rejected', receivedAt: createdAtRefused } }),
      payment('Sabzi Mandi', 300, '2026-12-02T12:00:00.000Z'),
    ]);
    expect(book.map((a) => [a.name, a.owedPaisa, a.purchases, a.lastAt])).toEqual([
      ['metro', 5015, 1, '2026-12-02T10:00:00.000Z'],
      ['Sabzi Mandi', -30000, 0, '2026-12-02T12:00:00.000Z'],
    ]);
  });

  it('an edit names a supplier over what purchases typed, the latest edit wins in any order, and purchases after it do not rename it', () => {
    const ops = [
      purchase('hassan  traders', 10, 'owed', '2026-12-01T10:00:00.000Z'),
      supplier('Hassan Traders', '2026-12-02T10:00:00.000Z', { phone: '0300-1234567', note: 'Comes on Mondays' }),
      supplier('HASSAN TRADERS', '2026-12-01T12:00:00.000Z', { phone: '0321-7654321' }),
      purchase('hassan traders', 10, 'owed', '2026-12-03T10:00:00.000Z'),
    ];
    for (const order of [ops, [...ops].reverse(), [ops[2]!, ops[0]!, ops[3]!, ops[1]!]]) {
      const [only] = [...supplierNamings(order).values()];
      expect(only).toEqual({ storeId: store, key: 'hassan traders', name: 'Hassan Traders', phone: '923001234567', note: 'Comes on Mondays', at: '2026-12-02T10:00:00.000Z', edited: true });
      expect(supplierBook(order)).toMatchObject([{ name: 'Hassan Traders', phone: '923001234567', owedPaisa: 4000, purchases: 2, lastAt: '2026-12-03T10:00:00.000Z' }]);
    }
  });
});

function payment(supplier: string, amount: number, createdAt: string, extra: object = {}): HeldOperation {
  return { id: `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`, storeId: store, deviceId: 'tablet', createdAt, type: 'supplier_payment', supplier, amount, paid: 'drawer', ...extra };
}
function supplier(name: string, createdAt: string, extra: object = {}): HeldOperation {
  return { id: `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`, storeId: store, deviceId: 'tablet', createdAt, type: 'supplier', name, ...extra };
}
