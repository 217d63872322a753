import { countsInBooks, fromMilli, type HeldOperation, type SaleOperation } from '@bazaar/shared';
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
  const number = typed.replace(/[^0-9a-f]/gi, '').toLowerCase();
  if (number.length < 8) return null;
  const found = operations.filter((op): op is SaleOperation => op.type === 'sale' && countsInBooks(op) && op.id.replace(/-/g, '').startsWith(number));
  return found.length === 1 ? found[0]! : null;
}
