import { cellKey, fromMilli, resolveBatch, toMilli, type Operation, type StockCell, type StockDoc } from '@bazaar/shared';

/**
 * What the shelf should hold now: the server's stock with this device's
 * pending operations applied by the same rules the server will apply
 * (`resolveBatch`: deltas in thousandths, a sale never refused for lack of
 * stock). Operations the server would refuse leave the projection as it is.
 *
 * Returns quantities by product id, for the products of `stock` and those the
 * pending operations touch.
 */
export function projectStock(stock: readonly StockDoc[], pending: readonly Operation[]): Map<string, number> {
  const cells = new Map<string, StockCell>();
  const products = new Set<string>();
  for (const doc of stock) {
    products.add(doc.productId);
    cells.set(cellKey(doc.storeId, doc.productId), { quantity: toMilli(doc.quantity) ?? 0, version: doc.version });
  }
  for (const op of pending) {
    if ('lines' in op) for (const line of op.lines) products.add(line.productId);
  }
  const projected = new Map(stock.map((doc) => [doc.productId, doc.quantity]));
  if (pending.length === 0) return projected;
  // Counts need the history of versions, which the device does not keep: they wait for the server.
  const deltas = pending.filter((op) => op.type !== 'count' && op.type !== 'store_product_update');
  const { stock: after } = resolveBatch(deltas, { products, stock: cells, history: new Map(), storeProducts: new Map() });
  for (const cell of after.values()) projected.set(cell.productId, fromMilli(cell.quantity));
  return projected;
}
