import { packProblem } from '@bazaar/shared';
import { readNumber, typedQuantityProblem, type QuantityProblem } from '../components/amounts';
import type { CartLine } from '../db/record';

/** One line of the cart as the counter sees it: the quantity box holds what was typed. */
export interface CartEntry {
  productId: string;
  /** Per what is sold: a piece (or kg), or a pack when `packSize` is set. */
  unitPrice: number;
  text: string;
  /** Sold by the pack of this many base units (SPEC.md R13): the box counts packs. */
  packSize?: number;
  /** The base unit's price, kept so switching to the pack and back gives it again. */
  piecePrice?: number;
}

export interface CartState {
  entries: CartEntry[];
  /** Lines whose quantity reads as one the server accepts. */
  lines: CartLine[];
  /** The problem of each entry's quantity, by product id. */
  problems: Map<string, QuantityProblem>;
  valid: boolean;
}

export function readCart(entries: readonly CartEntry[]): CartState {
  const lines: CartLine[] = [];
  const problems = new Map<string, QuantityProblem>();
  for (const e of entries) {
    // A count of packs is checked as well for the base units it moves (50,000 cartons of 24 is beyond a line).
    const problem = typedQuantityProblem(e.text) ?? (packProblem({ quantity: readNumber(e.text)!, packSize: e.packSize }) as QuantityProblem | null);
    if (problem) problems.set(e.productId, problem);
    else lines.push({ productId: e.productId, quantity: readNumber(e.text)!, unitPrice: e.unitPrice, ...(e.packSize ? { packSize: e.packSize } : {}) });
  }
  return { entries: [...entries], lines, problems, valid: entries.length > 0 && problems.size === 0 };
}

/** Tapping a product: one more of it, or a new line of one. */
export function addOne(entries: readonly CartEntry[], productId: string, unitPrice: number): CartEntry[] {
  if (!entries.some((e) => e.productId === productId)) return [...entries, { productId, unitPrice, text: '1' }];
  return step(entries, productId, +1);
}

/**
 * The − and + buttons: one less or one more of what the box reads (from 0
 * when it does not read as a number). Down to nothing removes the line.
 */
export function step(entries: readonly CartEntry[], productId: string, by: 1 | -1): CartEntry[] {
  return entries.flatMap((e) => {
    if (e.productId !== productId) return [e];
    const next = Math.max(0, Math.round(((readNumber(e.text) ?? 0) + by) * 1000) / 1000);
    return next > 0 ? [{ ...e, text: String(next) }] : [];
  });
}

export function typed(entries: readonly CartEntry[], productId: string, text: string): CartEntry[] {
  return entries.map((e) => (e.productId === productId ? { ...e, text } : e));
}

export function removeLine(entries: readonly CartEntry[], productId: string): CartEntry[] {
  return entries.filter((e) => e.productId !== productId);
}

/**
 * The line's switch between the base unit and the pack: by the pack, the box
 * counts packs at `packSize` times the base unit's price; and back. What was
 * typed stays: 2 pieces become 2 cartons, as the counter asked.
 */
export function togglePack(entries: readonly CartEntry[], productId: string, packSize: number): CartEntry[] {
  return entries.map((e) => {
    if (e.productId !== productId) return e;
    const piecePrice = e.piecePrice ?? e.unitPrice;
    if (e.packSize) {
      const { packSize: _p, piecePrice: _q, ...pieces } = e;
      return { ...pieces, unitPrice: piecePrice };
    }
    return { ...e, packSize, piecePrice, unitPrice: Math.round(piecePrice * packSize * 100) / 100 };
  });
}
