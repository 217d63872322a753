import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CashCloseOperation, Operation } from '../protocol/operations';
import { closeFigures, dayCloses, isCalendarDay } from './cash-close';
import type { HeldOperation } from './held';
import { operationProblem } from './limits';
import { dayKey, resolveBatch, type BatchSnapshot } from './resolve';

const store = '00000000-0000-4000-8000-000000000001';
let n = 0;
const id = () => `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
const close = (fields: Partial<CashCloseOperation> = {}): CashCloseOperation => ({
  id: id(),
  storeId: store,
  deviceId: 'phone-1',
  createdAt: '2026-12-03T16:00:00.000Z',
  type: 'cash_close',
  day: '2026-12-03',
  openingFloat: 2000,
  cashIn: 10_500.5,
  paidOut: [{ amount: 450.25, note: 'Milk supplier' }],
  counted: 12_000.25,
  ...fields,
});
const snapshot = (closes = new Map<string, number>()): BatchSnapshot => ({ products: new Set(), stock: new Map(), history: new Map(), storeProducts: new Map(), closes });

describe('the day’s close', () => {
  it('expects the float plus the cash in less what was paid out, and the difference is counted less expected, to the paisa', () => {
    // 2000 + 10500.50 - 450.25 = 12050.25; counted 12000.25: 50 short.
    expect(closeFigures(close())).toEqual({ expectedPaisa: 1_205_025, countedPaisa: 1_200_025, paidOutPaisa: 45_025, differencePaisa: -5_000 });
  });

  it('never drifts by a paisa, whatever amounts are typed', () => {
    const rupees = fc.integer({ min: 0, max: 1_000_000_00 }).map((p) => p / 100);
    fc.assert(
      fc.property(rupees, rupees, fc.array(rupees, { maxLength: 10 }), rupees, (openingFloat, cashIn, paid, counted) => {
        const f = closeFigures({ openingFloat, cashIn, paidOut: paid.map((amount) => ({ amount, note: 'x' })), counted });
        const sum = (xs: number[]) => xs.reduce((a, b) => a + Math.round(b * 100), 0);
        expect(f.expectedPaisa).toBe(Math.round(openingFloat * 100) + Math.round(cashIn * 100) - sum(paid));
        expect(f.differencePaisa).toBe(Math.round(counted * 100) - f.expectedPaisa);
        expect(Number.isInteger(f.differencePaisa)).toBe(true);
      }),
    );
  });

  it('is applied, and flagged to the owner when the drawer does not match; a matching one is not flagged', () => {
    const short = close();
    const even = close({ day: '2026-12-02', counted: 12_050.25 });
    const { outcomes } = resolveBatch([short, even], snapshot());
    expect(outcomes[0]).toMatchObject({ status: 'applied', discrepancy: true, reason: 'cash_difference', cashClose: { day: '2026-12-03', seq: 1, differencePaisa: -5_000 } });
    expect(outcomes[1]).toMatchObject({ status: 'applied', discrepancy: false, reason: null, cashClose: { seq: 1, differencePaisa: 0 } });
  });

  it('is one per store and day: a second one, in the batch or after one the server has, is a correction', () => {
    const { outcomes } = resolveBatch([close(), close({ counted: 12_050.25 })], snapshot(new Map([[dayKey(store, '2026-12-03'), 2]])));
    expect(outcomes.map((o) => o.cashClose?.seq)).toEqual([3, 4]);
    expect(outcomes[1]).toMatchObject({ status: 'applied', discrepancy: false });
  });

  it('refuses, with a reason, a day the calendar lacks and amounts that cannot be cash', () => {
    const refused = (fields: Partial<CashCloseOperation>) => operationProblem(close(fields));
    expect(refused({ day: '2026-02-30' })).toBe('out_of_range');
    expect(refused({ day: '1999-12-31' })).toBe('out_of_range');
    expect(refused({ counted: -50 })).toBe('invalid_amount');
    expect(refused({ openingFloat: 10.001 })).toBe('invalid_amount');
    expect(refused({ paidOut: [{ amount: 0, note: 'nothing' }] })).toBe('invalid_amount');
    expect(refused({ counted: 1e12 })).toBe('out_of_range');
    // Refunds can outweigh the day's sales: cash in below zero is a real day.
    expect(refused({ cashIn: -120.5, counted: 0 })).toBeNull();
    expect(refused({ counted: 0, openingFloat: 0, paidOut: [] })).toBeNull();
    const { outcomes } = resolveBatch([close({ day: '2026-13-01' })], snapshot());
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: 'out_of_range', cashClose: null });
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2027-02-29')).toBe(false);
  });

  it('orders a day’s closes as the server received them, then this device’s waiting ones; refused ones do not count', () => {
    const first = { ...close({ createdAt: '2026-12-03T17:00:00.000Z' }), outcome: { status: 'applied' as const, receivedAt: '2026-12-03T17:05:00.000Z' } };
    const second = { ...close({ createdAt: '2026-12-03T16:00:00.000Z' }), outcome: { status: 'applied' as const, receivedAt: '2026-12-03T18:00:00.000Z' } };
    const waiting = close({ createdAt: '2026-12-03T15:00:00.000Z' });
    const refused = { ...close(), outcome: { status: 'rejected' as const, receivedAt: '2026-12-03T16:30:00.000Z' } };
    const otherDay = close({ day: '2026-12-02' });
    const ops: HeldOperation[] = [waiting, refused, second, otherDay, first];
    expect(dayCloses(ops, store, '2026-12-03').map((c) => c.id)).toEqual([first.id, second.id, waiting.id]);
  });
});
