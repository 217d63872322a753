import type { OperationReason } from '../protocol/errors';
import type { Operation } from '../protocol/operations';
import { isCalendarDay } from './cash-close';
import { normalizePhone } from './ledger';
import { baseMilli, isValidPrice, linesTotal, MILLI, toMilli } from './quantity';

/**
 * What the shop can record, and the database store exactly (SPEC.md R10).
 * Each limit sits well inside its column: quantities numeric(14,3), prices
 * numeric(12,2), totals numeric(14,2), versions integer. A well-formed
 * operation outside them is refused with `out_of_range`, never a 500, and
 * the device checks the same limits before it says "recorded".
 */
export const limits = {
  /** One line's quantity (a barcode typed into the box is far above it). */
  quantity: 1_000_000,
  /** A stock level after any sequence of movements, either side of zero. */
  stock: 1_000_000_000,
  /** One unit's price or cost, PKR (one crore). */
  price: 10_000_000,
  /** One operation's total, PKR. */
  total: 10_000_000_000,
  /** Base units in one pack (a carton of 24, a sack of 50 kg). */
  packSize: 10_000,
  /** Versions are PostgreSQL integers. */
  version: 2_147_483_647,
  /** A device clock outside these years is wrong: the device asks for the date to be set. */
  earliestDeviceTime: Date.UTC(2000, 0, 1),
  latestDeviceTime: Date.UTC(2100, 0, 1),
} as const;

export const MAX_STOCK_MILLI = limits.stock * MILLI;

/** Why a quantity cannot be recorded, or null. `signed` allows a negative delta (adjustments); `zero` allows 0 (counts, reorder levels). */
export function quantityProblem(value: number, allow: { signed?: boolean; zero?: boolean } = {}): OperationReason | null {
  const milli = toMilli(value);
  if (milli === null) return Number.isFinite(value) && Math.abs(value) > limits.quantity ? 'out_of_range' : 'invalid_quantity';
  if (milli === 0) return allow.zero ? null : 'invalid_quantity';
  if (milli < 0 && !allow.signed) return 'invalid_quantity';
  if (Math.abs(value) > limits.quantity) return 'out_of_range';
  return null;
}

/** Why an amount of money (a payment, a credit limit) cannot be recorded, or null. `zero` allows 0 (a limit of nothing on credit). */
export function amountProblem(value: number, allow: { zero?: boolean } = {}): OperationReason | null {
  if (Number.isFinite(value) && value > limits.total) return 'out_of_range';
  if (!isValidPrice(value) || (value === 0 && !allow.zero)) return 'invalid_amount';
  return null;
}

/** Why a unit price or cost cannot be recorded, or null. */
export function priceProblem(value: number): OperationReason | null {
  if (Number.isFinite(value) && value > limits.price) return 'out_of_range';
  return isValidPrice(value) ? null : 'invalid_price';
}

/**
 * Why a line's pack cannot be recorded, or null: a whole number of base units
 * from 1 up, and packs that move at most a line's limit of base units.
 */
export function packProblem(line: { quantity: number; packSize?: number | undefined }): OperationReason | null {
  if (line.packSize === undefined) return null;
  if (Number.isFinite(line.packSize) && line.packSize > limits.packSize) return 'out_of_range';
  if (!Number.isInteger(line.packSize) || line.packSize < 1) return 'invalid_quantity';
  const base = baseMilli(line);
  return base !== null && Math.abs(base) > limits.quantity * MILLI ? 'out_of_range' : null;
}

function deviceTimeProblem(createdAt: string): OperationReason | null {
  const at = Date.parse(createdAt);
  return at >= limits.earliestDeviceTime && at < limits.latestDeviceTime ? null : 'out_of_range';
}

/**
 * Everything about one operation that can be judged without the server's
 * state: numbers, ranges, the device's clock, repeated products in a count.
 * The server runs it first in `resolveBatch`; the device runs it before it
 * queues anything, so what it records is what the server would accept.
 */
export function operationProblem(op: Operation): OperationReason | null {
  const time = deviceTimeProblem(op.createdAt);
  if (time) return time;
  switch (op.type) {
    case 'sale':
    case 'return':
      return linesProblem(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice }))) ?? firstProblem(op.lines.map(packProblem));
    case 'purchase':
      return linesProblem(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitCost }))) ?? firstProblem(op.lines.map(packProblem));
    case 'adjustment':
      return firstProblem(op.lines.map((l) => quantityProblem(l.quantity, { signed: true })));
    case 'count': {
      const seen = new Set<string>();
      for (const line of op.lines) {
        const problem =
          quantityProblem(line.countedQuantity, { zero: true }) ?? (line.baseVersion > limits.version ? 'out_of_range' : null);
        if (problem) return problem;
        if (seen.has(line.productId)) return 'duplicate_product';
        seen.add(line.productId);
      }
      return null;
    }
    case 'store_product_update': {
      if (op.baseVersion >= limits.version) return 'out_of_range';
      const { price, reorderLevel } = op.changes;
      return (
        (price === undefined || price === null ? null : priceProblem(price)) ??
        (reorderLevel === undefined || reorderLevel === null ? null : quantityProblem(reorderLevel, { zero: true }))
      );
    }
    case 'customer':
      if (op.phone && normalizePhone(op.phone) === null) return 'invalid_phone';
      return op.creditLimit === undefined || op.creditLimit === null ? null : amountProblem(op.creditLimit, { zero: true });
    case 'credit_payment':
    case 'supplier_payment':
      return amountProblem(op.amount);
    case 'supplier':
      return op.phone && normalizePhone(op.phone) === null ? 'invalid_phone' : null;
    case 'cash_close': {
      // A day the calendar has, within the years a device clock may show.
      const day = Date.parse(`${op.day}T12:00:00Z`);
      if (!isCalendarDay(op.day) || !(day >= limits.earliestDeviceTime && day < limits.latestDeviceTime)) return 'out_of_range';
      return (
        amountProblem(op.openingFloat, { zero: true }) ??
        amountProblem(op.counted, { zero: true }) ??
        amountProblem(Math.abs(op.cashIn), { zero: true }) ??
        firstProblem(op.paidOut.map((p) => amountProblem(p.amount)))
      );
    }
    default: {
      const exhaustive: never = op;
      throw new Error(`unhandled operation ${(exhaustive as Operation).type}`);
    }
  }
}

function linesProblem(lines: readonly { quantity: number; price: number }[]): OperationReason | null {
  const problem = firstProblem(lines.map((l) => quantityProblem(l.quantity) ?? priceProblem(l.price)));
  if (problem) return problem;
  return linesTotal(lines) > limits.total ? 'out_of_range' : null;
}

function firstProblem(problems: (OperationReason | null)[]): OperationReason | null {
  return problems.find((p) => p !== null) ?? null;
}

/**
 * Text PostgreSQL can store and every screen can show: no NUL or other C0
 * control characters but tab and newlines, no unpaired UTF-16 surrogates.
 * Such text cannot even be kept as a refusal, so the schemas refuse it (400).
 */
export function isStorableText(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) return false;
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/**
 * A device time PostgreSQL can store: years 1970 to 9999 and a real UTC
 * offset (at most 14 hours). Whether the clock is plausible is a range
 * (`out_of_range`), judged by `operationProblem`.
 */
export function isStorableTime(value: string): boolean {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > 14 * 60) return false;
  const at = Date.parse(value);
  return Number.isFinite(at) && at >= 0 && at < Date.UTC(10000, 0, 1);
}
