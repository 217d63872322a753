import { closeFigures } from '@bazaar/shared';
import { lineQuantity } from '../components/packs';
import type { OperationRecord } from '../db/schemas';
import type { StoreView } from '../db/store-view';
import type { Formatters, Strings } from '../i18n/strings';

/** An operation's lines in a few words: "2 × Fauji Fine Atta, 1 × Tapal Danedar"; a ledger record by its customer or amount. */
export function describeLines(op: OperationRecord, view: StoreView, format: Formatters, t: Strings): string {
  const name = (id: string) => view.byId.get(id)?.product.nameEn ?? id.slice(0, 8);
  if (op.type === 'store_product_update') return name(op.productId);
  if (op.type === 'customer') return op.name;
  if (op.type === 'credit_payment') return format.price(op.amount);
  if (op.type === 'supplier') return op.name;
  if (op.type === 'supplier_payment') return `${format.price(op.amount)} → ${op.supplier}`;
  if (op.type === 'cash_close') {
    const { countedPaisa, expectedPaisa } = closeFigures(op);
    return t.closeLine(format.date(`${op.day}T12:00:00`), format.price(countedPaisa / 100), format.price(expectedPaisa / 100));
  }
  return op.lines
    .map((l) => ('countedQuantity' in l ? `${name(l.productId)}: ${format.quantity(l.countedQuantity)}` : `${lineQuantity(l, t, format)} × ${name(l.productId)}`))
    .join(', ');
}
