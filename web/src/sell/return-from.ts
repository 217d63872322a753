import { countsInBooks, fromMilli, onReceipt, ReceiptSale, receiptNumber, type HeldOperation, type SaleOperation } from '@bazaar/shared';
import { ApiError, apiFetch } from '../sync/api';
import type { CartEntry } from './cart';

/**
 * A sale's lines as the return's cart: what each product has left to return.
 * A product sold only by one pack size comes back in packs while whole packs
 * are left, at the pack's price; else in base units at the price of its loose
 * line, or the pack's price ÷ pack size.
 */
export function returnEntries(sale: SaleOperation, left: ReadonlyMap<string, number>): CartEntry[] {
  const entries: CartEntry[] = [];
  for (const [productId, milli] of left) {
    if (milli <= 0) continue;
    const lines = sale.lines.filter((l) => l.productId === productId);
    const first = lines[0];
    if (!first) continue;
    const pack = first.packSize;
    const loose = lines.find((l) => !l.packSize);
    const piecePrice = loose?.unitPrice ?? (pack ? Math.round((first.unitPrice / pack) * 100) / 100 : first.unitPrice);
    if (pack && lines.every((l) => l.packSize === pack) && milli % (pack * 1000) === 0) {
      entries.push({ productId, unitPrice: first.unitPrice, text: String(milli / (pack * 1000)), packSize: pack, piecePrice });
    } else {
      entries.push({ productId, unitPrice: piecePrice, text: String(fromMilli(milli)) });
    }
  }
  return entries;
}

/**
 * The applied sale whose receipt carries this number: the first 8 hex digits
 * of its id, as the receipt prints them after '#', whatever the case or
 * spaces; null when none of the sales this device holds has it (or two do).
 */
export function saleByReceipt(operations: readonly HeldOperation[], typed: string): SaleOperation | null {
  const number = receiptNumber(typed);
  if (!number) return null;
  const found = operations.filter((op): op is SaleOperation => op.type === 'sale' && countsInBooks(op) && onReceipt(op.id, number));
  return found.length === 1 ? found[0]! : null;
}

/** What this device holds, with what was read from the server (an older sale and its returns) where it holds nothing of the same id. */
export function withFetched(operations: readonly HeldOperation[], fetched: readonly HeldOperation[]): readonly HeldOperation[] {
  if (fetched.length === 0) return operations;
  const held = new Set(operations.map((op) => op.id));
  return [...operations, ...fetched.filter((op) => !held.has(op.id))];
}

/** Why a receipt's sale was not found: the server has none, or could not be asked. */
export type ReceiptMiss = { kind: 'not_found' } | { kind: 'offline' } | { kind: 'failed'; message: string };

/**
 * A sale older than this device's history (SPEC.md P7) from the server, with
 * the returns that already name it, so what it has left to return is known.
 */
export async function fetchReceipt(storeId: string, typed: string): Promise<{ sale: SaleOperation; returns: HeldOperation[] } | ReceiptMiss> {
  const number = receiptNumber(typed);
  if (!number) return { kind: 'not_found' };
  if (!navigator.onLine) return { kind: 'offline' };
  try {
    return ReceiptSale.parse(await apiFetch<unknown>(`/api/stores/${storeId}/receipts/${number}`));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { kind: 'not_found' };
    if (err instanceof ApiError && err.fromServer) return { kind: 'failed', message: err.message };
    return { kind: 'offline' };
  }
}
