/**
 * Quantities travel as decimal numbers (1.5 kg of sugar) but are added and
 * compared as integer thousandths, so that a thousand sales of 0.1 kg leave
 * exactly 100 kg less and never 99.99999999999.
 */
export const MILLI = 1000;

/** Thousandths of `value`, or null when it is not finite or has more than 3 decimals. */
export function toMilli(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const scaled = value * MILLI;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-6 || !Number.isSafeInteger(rounded)) return null;
  return rounded;
}

export function fromMilli(milli: number): number {
  return milli / MILLI;
}

/**
 * Thousandths of the base unit a line moves: its quantity, times its pack
 * size when it was sold or bought by the pack (SPEC.md R13). Null when the
 * quantity is not one `toMilli` reads.
 */
export function baseMilli(line: { quantity: number; packSize?: number | undefined }): number | null {
  const milli = toMilli(line.quantity);
  return milli === null ? null : milli * (line.packSize ?? 1);
}

/** True for a money amount of at most 2 decimals, zero or more. */
export function isValidPrice(value: number): boolean {
  if (!Number.isFinite(value) || value < 0 || value > 1e10) return false;
  const scaled = value * 100;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/** One priced line's amount in paisa, rounded as every total of it is. */
export function linePaisa(quantity: number, price: number): number {
  return Math.round(quantity * price * 100);
}

/** The total of priced lines, each rounded to the paisa and summed in paisa so no float error builds up. */
export function linesTotal(lines: readonly { quantity: number; price: number }[]): number {
  return lines.reduce((paisa, l) => paisa + linePaisa(l.quantity, l.price), 0) / 100;
}
