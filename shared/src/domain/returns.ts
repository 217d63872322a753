import type { Operation, ReturnOperation, SaleOperation } from '../protocol/operations';
import { baseMilli } from './quantity';
import { countsInBooks, type HeldOperation } from './held';

/**
 * Returns against their sale (issue 12, SPEC.md R12). What a sale can still
 * take back is what it sold, less what returns naming it already took back.
 * Returning more is flagged, never refused: it happened at the counter.
 * Quantities in thousandths of the base unit, by product: a carton sold can
 * come back as loose pieces.
 */
export type Returnable = Map<string, number>;

export function soldOn(sale: Pick<SaleOperation, 'lines'>): Returnable {
  const sold: Returnable = new Map();
  for (const l of sale.lines) sold.set(l.productId, (sold.get(l.productId) ?? 0) + (baseMilli(l) ?? 0));
  return sold;
}

/** What is left to return after `returns` (already checked in range), from what was sold. */
export function stillReturnable(sold: ReadonlyMap<string, number>, returns: readonly Pick<ReturnOperation, 'lines'>[]): Returnable {
  const left = new Map(sold);
  for (const r of returns) for (const l of r.lines) left.set(l.productId, (left.get(l.productId) ?? 0) - (baseMilli(l) ?? 0));
  return left;
}

/** Whether a return takes back more of any product than is left to return on its sale (or a product the sale did not have). */
export function returnsTooMuch(left: ReadonlyMap<string, number>, ret: Pick<ReturnOperation, 'lines'>): boolean {
  const asked = stillReturnable(new Map(), [ret]);
  return [...asked].some(([productId, negative]) => -negative > (left.get(productId) ?? 0));
}

/** The device's view: a held sale's returnable quantities, from the returns this device holds that name it (refused ones count for nothing). */
export function returnableOnDevice(sale: SaleOperation, operations: readonly HeldOperation[]): Returnable {
  const returns = operations.filter((op): op is ReturnOperation & HeldOperation => op.type === 'return' && op.saleId === sale.id && countsInBooks(op));
  return stillReturnable(soldOn(sale), returns);
}

/**
 * The number a receipt prints after '#' (the first 8 hex digits of its
 * sale's id), as typed: whatever the case, spaces or dashes; null until it
 * has 8 digits. More digits narrow it further.
 */
export function receiptNumber(typed: string): string | null {
  const number = typed.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return number.length >= 8 && number.length <= 32 ? number : null;
}

/** Whether the operation `id` carries receipt `number` (from `receiptNumber`). */
export function onReceipt(id: string, number: string): boolean {
  return id.replace(/-/g, '').startsWith(number);
}
