/**
 * When an alert is open, as plain functions of what the alerts worker knows.
 * Alerts are states, not events: each is open exactly while its condition
 * holds, so they clear by themselves (stock received, a count that agrees).
 */
export type StockAlertKind = 'low_stock' | 'negative_stock';

/** A count is a mismatch when it moved the record by at least this much (thousandths: 2 units). */
export const COUNT_MISMATCH_MILLI = 2000;

export interface StockState {
  quantityMilli: number;
  /** Null when no reorder level is set: no low-stock alert. */
  reorderMilli: number | null;
}

/** The stock alerts that hold for this state. Below zero is both low and negative: it needs a reorder and a look. */
export function stockAlerts(state: StockState): Record<StockAlertKind, boolean> {
  return {
    negative_stock: state.quantityMilli < 0,
    low_stock: state.reorderMilli !== null && state.quantityMilli <= state.reorderMilli,
  };
}

/** A count that disagreed with the record by COUNT_MISMATCH_MILLI or more. */
export function countMismatch(deltaMilli: number): boolean {
  return Math.abs(deltaMilli) >= COUNT_MISMATCH_MILLI;
}
