import { describe, expect, it } from 'vitest';
import type { CustomerDoc, OperationOutcome } from '@bazaar/shared';
import type { OperationRecord } from '../db/schemas';
import { findCustomer, ledgerBook, reminderLink } from './book';

const store = '00000000-0000-4000-8000-000000000001';
const rice = '00000000-0000-4000-8000-0000000000a1';
let n = 0;
const uuid = () => `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
const at = (day: number) => new Date(Date.UTC(2026, 11, day, 9)).toISOString();
/** The server's verdict, as a pulled operation carries it. */
const synced = (status: 'applied' | 'rejected', day: number): OperationOutcome => ({
  status, discrepancy: false, reason: status === 'rejected' ? 'invalid_amount' : null, message: null, current: null, resolution: null, userId: 'u', receivedAt: at(day),
});
const base = (day: number, status?: 'applied' | 'rejected') => ({ id: uuid(), storeId: store, deviceId: 'phone', createdAt: at(day), ...(status ? { outcome: synced(status, day) } : {}) });
const customerOp = (customerId: string, name: string, phone: string, day = 1, status?: 'applied'): OperationRecord => ({ ...base(day, status), type: 'customer', customerId, name, phone });
const creditSale = (customerId: string, rupees: number, day: number, status?: 'applied' | 'rejected'): OperationRecord => ({
  ...base(day, status), type: 'sale', lines: [{ productId: rice, quantity: 1, unitPrice: rupees }], payment: { method: 'credit', customerId, customer: { name: 'typed' } },
});
const paid = (customerId: string, amount: number, day: number): OperationRecord => ({ ...base(day), type: 'credit_payment', customerId, amount, method: 'cash' });
const pulled = (id: string, name: string, phone: string, mergedInto: string | null = null): CustomerDoc => ({
  id, storeId: store, name, phone, creditLimit: 1000, mergedInto, balance: 0, owedSince: null, lastPaymentAt: null, version: 1, updatedAt: at(1), _deleted: false,
});

describe("the device's udhaar book", () => {
  it('offline: a customer made here, a credit sale and a payment make an account at once', () => {
    const bilal = uuid();
    const [acc] = ledgerBook([], [customerOp(bilal, 'Bilal', '0300-1234567'), creditSale(bilal, 500, 2), paid(bilal, 120.5, 3)]);
    expect(acc).toMatchObject({ id: bilal, name: 'Bilal', phone: '923001234567', balancePaisa: 37950, owedSince: at(2), pending: true });
    expect(acc!.entries.map((e) => e.entry.kind)).toEqual(['payment', 'credit_sale']);
  });

  it('two phones that added the same number offline see one account, as the server keeps it', () => {
    const onA = uuid();
    const onB = uuid();
    const ops = [customerOp(onA, 'Bilal', '0300-1234567', 1), customerOp(onB, 'Bilal bhai', '+923001234567', 2), creditSale(onA, 100, 3), creditSale(onB, 50, 4)];
    const before = ledgerBook([], ops);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ id: onA, balancePaisa: 15000, ids: [onA, onB] });
    // After sync the server's customers say the same.
    const after = ledgerBook([pulled(onA, 'Bilal', '923001234567'), pulled(onB, 'Bilal bhai', '923001234567', onA)], ops.map((o) => ({ ...o, outcome: synced('applied', 5) })));
    expect(after.map((a) => [a.id, a.balancePaisa, a.pending])).toEqual([[onA, 15000, false]]);
  });

  it('refused operations owe nothing; the longest owed come first; a number finds its customer', () => {
    const a = uuid();
    const b = uuid();
    const book = ledgerBook([pulled(a, 'Asif', '923331112222'), pulled(b, 'Bilal', '923001234567')], [creditSale(a, 10, 5), creditSale(b, 99, 2), creditSale(b, 1000, 3, 'rejected')]);
    expect(book.map((x) => [x.name, x.balancePaisa])).toEqual([['Bilal', 9900], ['Asif', 1000]]);
    expect(findCustomer(book, '', '0333 1112222')?.id).toBe(a);
    expect(findCustomer(book, 'bilal', '')?.id).toBe(b);
    expect(findCustomer(book, 'Nadia', '')).toBeUndefined();
    expect(reminderLink('923001234567', 'Rs 99 — Bazaar')).toBe('https://wa.me/923001234567?text=Rs%2099%20%E2%80%94%20Bazaar');
  });
});
