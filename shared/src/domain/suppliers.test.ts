import { describe, expect, it } from 'vitest';
import type { Operation, PurchaseOperation } from '../protocol/operations';
import { supplierBook } from './suppliers';

const store = '00000000-0000-4000-8000-000000000001';
const rice = '00000000-0000-4000-8000-0000000000a1';
let n = 0;
const purchase = (supplier: string | undefined, unitCost: number, paid: PurchaseOperation['paid'], createdAt: string, extra: object = {}): Operation & { status?: string } => ({
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
      purchase('Hassan Traders', 400, 'owed', '2026-12-03T09:00:00.000Z', { status: 'rejected' }),
      purchase('Karachi Flour', 10, 'elsewhere', '2026-12-03T08:00:00.000Z'),
      purchase(undefined, 10, 'owed', '2026-12-03T08:00:00.000Z'),
    ]);
    expect(book).toEqual([
      { name: 'Hassan Traders', owedPaisa: 80000, purchases: 1, lastAt: '2026-12-01T09:00:00.000Z', lastInvoice: null },
      { name: 'metro', owedPaisa: 30100, purchases: 3, lastAt: '2026-12-02T10:00:00.000Z', lastInvoice: 'INV-7' },
      { name: 'Karachi Flour', owedPaisa: 0, purchases: 1, lastAt: '2026-12-03T08:00:00.000Z', lastInvoice: null },
    ]);
  });
});
