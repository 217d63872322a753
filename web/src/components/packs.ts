import { toMilli, type ProductDoc } from '@bazaar/shared';
import type { Formatters, Strings } from '../i18n/strings';

type Packed = Pick<ProductDoc, 'packSize' | 'unit'>;

/**
 * A stock figure in base units as whole packs and the rest, "2 cartons + 5 pcs"
 * (SPEC.md R13), or null when the product has no pack or less than one is there.
 */
export function inPacks(quantity: number, product: Packed, t: Strings, format: Formatters): string | null {
  const milli = toMilli(quantity);
  const packMilli = product.packSize * 1000;
  if (product.packSize <= 1 || milli === null || milli < packMilli) return null;
  const packs = Math.floor(milli / packMilli);
  const rest = (milli - packs * packMilli) / 1000;
  const cartons = t.cartons(packs, format.quantity(packs));
  if (rest === 0) return cartons;
  const unit = t.baseUnits[product.unit] ?? ((q: string) => q);
  return `${cartons} + ${unit(format.quantity(rest))}`;
}

/** A line's quantity as it was sold or bought: "2 cartons (24)" by the pack, "5" otherwise. */
export function lineQuantity(line: { quantity: number; packSize?: number | undefined }, t: Strings, format: Formatters): string {
  if (line.packSize === undefined) return format.quantity(line.quantity);
  return `${t.cartons(line.quantity, format.quantity(line.quantity))} (${format.quantity(line.packSize)})`;
}
