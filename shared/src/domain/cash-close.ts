import type { CashCloseOperation, Operation } from '../protocol/operations';
import { toPaisa } from './ledger';
import { countsInBooks, type HeldOperation } from './held';

/**
 * The day's close (issue 12, SPEC.md C1-C3). Pure, so the counter, the
 * owner's tablet and the server say the same difference to the paisa.
 */
export interface CloseFigures {
  /** Opening float + cash in - paid out: what the drawer should hold. */
  expectedPaisa: number;
  countedPaisa: number;
  paidOutPaisa: number;
  /** Counted - expected: below zero the drawer is short. */
  differencePaisa: number;
}

type CloseInput = Pick<CashCloseOperation, 'openingFloat' | 'cashIn' | 'paidOut' | 'counted'>;

export function closeFigures(close: CloseInput): CloseFigures {
  const paidOutPaisa = close.paidOut.reduce((sum, p) => sum + toPaisa(p.amount), 0);
  const expectedPaisa = toPaisa(close.openingFloat) + toPaisa(close.cashIn) - paidOutPaisa;
  const countedPaisa = toPaisa(close.counted);
  return { expectedPaisa, countedPaisa, paidOutPaisa, differencePaisa: countedPaisa - expectedPaisa };
}

/** Whether `day` (YYYY-MM-DD) is a day of the calendar: 2026-02-30 is not. */
export function isCalendarDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

type HeldClose = CashCloseOperation & HeldOperation;

/**
 * A store day's closes in the order they count (C2): those the server has,
 * by when it received them, then this device's waiting ones, by when they
 * were made. The first is the close; every later one is a correction, and
 * the last one stands. Refused and set-aside ones count for nothing.
 */
export function dayCloses<T extends Operation>(operations: readonly T[], storeId: string, day: string): (T & HeldClose)[] {
  const closes = operations.filter(
    (op): op is T & HeldClose =>
      op.type === 'cash_close' && op.storeId === storeId && op.day === day && countsInBooks(op as HeldClose),
  );
  const order = (op: HeldClose) => (op.outcome ? `0${op.outcome.receivedAt}` : `1${new Date(op.createdAt).toISOString()}`);
  return closes.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : a.id < b.id ? -1 : 1));
}
