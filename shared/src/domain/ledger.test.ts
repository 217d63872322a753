import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../protocol/operations';
import { account, ledgerEntry, normalizePhone, overLimit, type LedgerEntry } from './ledger';
import { operationProblem } from './limits';
import { cellKey, phoneKey, resolveBatch, type BatchSnapshot } from './resolve';

const store = '00000000-0000-4000-8000-000000000001';
const rice = '00000000-0000-4000-8000-0000000000a1';
const bilal = '00000000-0000-4000-8000-0000000000b1';
let n = 0;
const id = () => `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
const at = (day: number) => new Date(Date.UTC(2026, 11, day, 9)).toISOString();
const base = (createdAt = at(1)) => ({ id: id(), storeId: store, deviceId: 'phone-1', createdAt });

const creditSale = (quantity: number, unitPrice: number, createdAt?: string, customerId = bilal): Operation => ({
  ...base(createdAt),
  type: 'sale',
  lines: [{ productId: rice, quantity, unitPrice }],
  payment: { method: 'credit', customerId, customer: { name: 'Bilal', phone: '0300 1234567' } },
});
const payment = (amount: number, createdAt?: string, customerId = bilal): Operation => ({ ...base(createdAt), type: 'credit_payment', customerId, amount, method: 'jazzcash' });
const entries = (ops: Operation[]) => ops.map(ledgerEntry).filter((e): e is LedgerEntry => e !== null);

describe('the udhaar ledger', () => {
  it('credit sales add what was sold, to the paisa; returns to the account and payments take it off', () => {
    const back: Operation = { ...base(at(3)), type: 'return', lines: [{ productId: rice, quantity: 0.5, unitPrice: 33.33 }], customerId: bilal };
    const acc = account(entries([creditSale(1.5, 33.33, at(1)), creditSale(2, 19.99, at(2)), back, payment(40, at(4))]));
    // 49.995 rounds to 50.00, 39.98, less 16.665 → 16.67 returned, less 40 paid.
    expect(acc.balancePaisa).toBe(5000 + 3998 - 1667 - 4000);
    expect(acc.lastPaymentAt).toBe(at(4));
  });

  it('a cash sale, or a return refunded from the drawer, is not in any account', () => {
    const cash: Operation = { ...base(), type: 'sale', lines: [{ productId: rice, quantity: 1, unitPrice: 10 }], payment: { method: 'cash' } };
    const drawer: Operation = { ...base(), type: 'return', lines: [{ productId: rice, quantity: 1, unitPrice: 10 }] };
    expect(entries([cash, drawer])).toEqual([]);
  });

  it('payments settle the oldest debt first: owed since the oldest sale not yet paid off', () => {
    const ops = [creditSale(1, 100, at(1)), creditSale(1, 50, at(5)), creditSale(1, 70, at(9))];
    expect(account(entries(ops)).owedSince).toBe(at(1));
    expect(account(entries([...ops, payment(100, at(10))])).owedSince).toBe(at(5));
    expect(account(entries([...ops, payment(120, at(10))])).owedSince).toBe(at(5));
    expect(account(entries([...ops, payment(150, at(10))])).owedSince).toBe(at(9));
    const settled = account(entries([...ops, payment(220, at(10))]));
    expect(settled).toMatchObject({ balancePaisa: 0, owedSince: null });
  });

  it('money paid ahead is an advance the next sales use up', () => {
    const acc = account(entries([payment(100, at(1)), creditSale(1, 60, at(2))]));
    expect(acc).toMatchObject({ balancePaisa: -4000, owedSince: null });
    expect(account(entries([payment(100, at(1)), creditSale(1, 60, at(2)), creditSale(1, 60, at(3))]))).toMatchObject({ balancePaisa: 2000, owedSince: at(3) });
  });

  it('the balance and since-when are the same whatever order the entries arrive in (two phones syncing)', () => {
    const entry = fc.record({
      kind: fc.constantFrom('credit_sale', 'payment', 'credit_return'),
      paisa: fc.integer({ min: 1, max: 10_000_000 }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), fc.infiniteStream(fc.nat()), (made, order) => {
        const list = made.map((e, i): LedgerEntry => ({
          operationId: `op-${String(i).padStart(3, '0')}`, storeId: store, customerId: bilal, kind: e.kind as LedgerEntry['kind'],
          amountPaisa: e.kind === 'credit_sale' ? e.paisa : -e.paisa, at: at(e.day),
        }));
        const shuffled = [...list];
        const picks = order[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = picks.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = account(list);
        expect(account(shuffled)).toEqual(a);
        expect(a.balancePaisa).toBe(list.reduce((sum, e) => sum + e.amountPaisa, 0));
        if (a.balancePaisa <= 0) expect(a.owedSince).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('phones are kept in the 92… form, from what people type', () => {
    for (const typed of ['0300-1234567', '0300 1234567', '+92 300 1234567', '923001234567', '00923001234567', '3001234567', '(0300) 123-4567']) {
      expect(normalizePhone(typed), typed).toBe('923001234567');
    }
    expect(normalizePhone('021-34567890')).toBe('922134567890');
    for (const bad of ['12345', 'abc', '0300-12345678901', '+1 212 555 0100', '', '0000000000']) expect(normalizePhone(bad), bad).toBeNull();
  });

  it('going over a limit is a warning to show, not a refusal', () => {
    expect(overLimit(90_00, 100, 10_00)).toBe(false);
    expect(overLimit(90_00, 100, 10_01)).toBe(true);
    expect(overLimit(1_000_000_00, null, 1)).toBe(false);
  });

  it('bad amounts and numbers are refused with a reason the counter can read', () => {
    expect(operationProblem(payment(0))).toBe('invalid_amount');
    expect(operationProblem(payment(-5))).toBe('invalid_amount');
    expect(operationProblem(payment(10.005))).toBe('invalid_amount');
    expect(operationProblem(payment(8964000000001))).toBe('out_of_range');
    expect(operationProblem(payment(250.5))).toBeNull();
    const customer = (phone: string, creditLimit?: number | null): Operation => ({ ...base(), type: 'customer', customerId: id(), name: 'Bilal', phone, creditLimit });
    expect(operationProblem(customer('12345'))).toBe('invalid_phone');
    expect(operationProblem(customer('0300-1234567', -1))).toBe('invalid_amount');
    expect(operationProblem(customer('0300-1234567', 0))).toBeNull();
    expect(operationProblem(customer('0300-1234567', null))).toBeNull();
  });
});

describe('customers in a pushed batch', () => {
  const snapshot = (customers: BatchSnapshot['customers'] = new Map(), customerPhones: BatchSnapshot['customerPhones'] = new Map()): BatchSnapshot => ({
    products: new Set([rice]), stock: new Map(), history: new Map(), storeProducts: new Map(), customers, customerPhones,
  });

  it('a second phone adding the same number makes another name for the first customer, not a second account', () => {
    const first = id();
    const second = id();
    const ops: Operation[] = [
      { ...base(), type: 'customer', customerId: first, name: 'Bilal', phone: '0300-1234567' },
      { ...base(), type: 'customer', customerId: second, name: 'Bilal bhai', phone: '+92 300 1234567' },
    ];
    const { outcomes, customers } = resolveBatch(ops, snapshot());
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(customers.get(cellKey(store, second))).toMatchObject({ mergedInto: first, phone: '923001234567' });
    expect(customers.get(cellKey(store, first))).toMatchObject({ mergedInto: null, version: 1 });
  });

  it('a payment from a customer the store does not have is refused with a reason; one it has is an entry', () => {
    const known = new Map([[cellKey(store, bilal), { storeId: store, id: bilal, name: 'Bilal', phone: null, creditLimit: null, mergedInto: null, version: 1 }]]);
    const stranger = payment(10, at(1), id());
    const { outcomes } = resolveBatch([stranger, payment(10)], snapshot(known));
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: 'unknown_customer', ledger: null });
    expect(outcomes[1]).toMatchObject({ status: 'applied', ledger: { kind: 'payment', amountPaisa: -1000, customerId: bilal } });
  });

  it('a credit sale naming a customer the server has not heard of still sells, and makes the customer from what was typed', () => {
    const fresh = id();
    const { outcomes, customers } = resolveBatch([creditSale(2, 50, at(1), fresh)], snapshot());
    expect(outcomes[0]).toMatchObject({ status: 'applied', ledger: { amountPaisa: 10000, customerId: fresh } });
    expect(customers.get(cellKey(store, fresh))).toMatchObject({ name: 'Bilal', phone: '923001234567', mergedInto: null });
  });

  it('an edit may not give a customer the number another one has', () => {
    const other = id();
    const known = new Map([
      [cellKey(store, bilal), { storeId: store, id: bilal, name: 'Bilal', phone: '923001234567', creditLimit: null, mergedInto: null, version: 1 }],
      [cellKey(store, other), { storeId: store, id: other, name: 'Asif', phone: '923331112222', creditLimit: null, mergedInto: null, version: 1 }],
    ]);
    const phones = new Map([[phoneKey(store, '923001234567'), bilal], [phoneKey(store, '923331112222'), other]]);
    const taken: Operation = { ...base(), type: 'customer', customerId: other, name: 'Asif', phone: '0300-1234567' };
    const limit: Operation = { ...base(), type: 'customer', customerId: other, name: 'Asif', creditLimit: 5000 };
    const { outcomes } = resolveBatch([taken, limit], snapshot(known, phones));
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: 'phone_taken' });
    expect(outcomes[1]!.customer).toMatchObject({ creditLimit: 5000, phone: '923331112222', version: 2 });
  });
});
