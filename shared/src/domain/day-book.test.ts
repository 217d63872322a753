import { describe, expect, it } from 'vitest';
import type { Operation } from '../protocol/operations';
import { dayBook } from './day-book';
import type { HeldOperation } from './held';

const store = '00000000-0000-4000-8000-000000000001';
const rice = '00000000-0000-4000-8000-0000000000a1';
const bilal = '00000000-0000-4000-8000-0000000000b1';
let n = 0;
const base = (createdAt: string) => ({ id: `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`, storeId: store, deviceId: 'phone', createdAt });
const today = '2026-12-03T10:00:00.000Z';
const yesterday = '2026-12-02T10:00:00.000Z';
const line = (quantity: number, unitPrice: number) => [{ productId: rice, quantity, unitPrice }];
const onToday = (iso: string) => iso.startsWith('2026-12-03');

describe('the day book', () => {
  it('totals the day by how it was paid, and the cash the drawer should hold from it', () => {
    const ops: HeldOperation[] = [
      { ...base(today), type: 'sale', lines: line(1.5, 33.33), payment: { method: 'cash' } },
      { ...base(today), type: 'sale', lines: line(2, 100), payment: { method: 'credit', customerId: bilal } },
      { ...base(today), type: 'return', lines: line(1, 20) },
      { ...base(today), type: 'return', lines: line(1, 100), customerId: bilal },
      { ...base(today), type: 'credit_payment', customerId: bilal, amount: 30, method: 'cash' },
      { ...base(today), type: 'credit_payment', customerId: bilal, amount: 45.5, method: 'easypaisa' },
      // Not today's, refused, or no money at all: none of it counts.
      { ...base(yesterday), type: 'sale', lines: line(1, 999), payment: { method: 'cash' } },
      { ...base(today), type: 'sale', lines: line(1, 500), payment: { method: 'cash' }, outcome: { status: 'rejected', receivedAt: today } },
      { ...base(today), type: 'adjustment', lines: [{ productId: rice, quantity: -1 }], reason: 'damage' },
    ];
    const book = dayBook(ops, onToday);
    expect(book.sales).toEqual({ count: 2, cashPaisa: 5000, creditPaisa: 20000 });
    expect(book.returns).toEqual({ count: 2, cashPaisa: 2000, creditPaisa: 10000 });
    expect(book.received).toEqual({ cash: 3000, jazzcash: 0, easypaisa: 4550, bank: 0 });
    // 50.00 in cash, 20.00 refunded from the drawer, 30.00 of udhaar paid in cash.
    expect(book.cashInPaisa).toBe(6000);
  });

  it('a supplier paid from the drawer is cash out of it; owed or paid elsewhere is not', () => {
    const bought = (unitCost: number, paid?: 'drawer' | 'owed' | 'elsewhere', packSize?: number): Operation => ({
      ...base(today), type: 'purchase', supplier: 'Metro', lines: [{ productId: rice, quantity: 2, unitCost, ...(packSize ? { packSize } : {}) }], ...(paid ? { paid } : {}),
    });
    const ops: Operation[] = [
      { ...base(today), type: 'sale', lines: line(10, 100), payment: { method: 'cash' } },
      bought(150.25, 'drawer'),
      bought(2000, 'drawer', 24),
      bought(300, 'owed'),
      bought(70, 'elsewhere'),
      bought(5),
      // What was owed, paid today: from the drawer it is cash out too.
      { ...base(today), type: 'supplier_payment', supplier: 'Metro', amount: 120.5, paid: 'drawer' },
      { ...base(today), type: 'supplier_payment', supplier: 'Metro', amount: 80, paid: 'elsewhere', reference: 'CHQ-1' },
      { ...base(yesterday), type: 'supplier_payment', supplier: 'Metro', amount: 999, paid: 'drawer' },
    ];
    const book = dayBook(ops, onToday);
    expect(book.supplierPayments).toEqual({ count: 2, drawerPaisa: 12050, elsewherePaisa: 8000 });
    // Two cartons at Rs 2,000 a carton are Rs 4,000 out of the drawer, not 24 times that.
    expect(book.purchases).toEqual({ count: 5, drawerPaisa: 30050 + 400000, owedPaisa: 60000, elsewherePaisa: 14000 + 1000 });
    expect(book.cashInPaisa).toBe(100000 - 430050 - 12050);
  });
});
