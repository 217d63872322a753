import { cellKey, fromMilli, historyKey, resolveBatch, toMilli, type Operation, type StockCell, type StockDoc } from '@bazaar/shared';

export interface Projection {
  /** Quantities by product id, for the products of `stock` and those the pending operations touch. */
  quantities: Map<string, number>;
  /** Pending operations by the products they touch: the rows show them as not yet synced. */
  pendingBy: Map<string, number>;
  /** Products with a pending count the device cannot rebase (the server moved the stock since): its figure waits for the server. */
  countWaits: Set<string>;
}

/**
 * What the shelf should hold now: the server's stock with this device's
 * pending operations applied by the same rules the server will apply
 * (`resolveBatch`: deltas in thousandths, a sale never refused for lack of
 * stock, a count rebased on its base version). The device knows the quantity
 * at each product's current version only, so a count taken on it is exact
 * here, and one taken on an older version is left to the server. Operations
 * the server would refuse leave the projection as it is.
 */
export function projectStock(stock: readonly StockDoc[], pending: readonly Operation[]): Projection {
  const cells = new Map<string, StockCell>();
  const history = new Map<string, number>();
  const products = new Set<string>();
  for (const doc of stock) {
    products.add(doc.productId);
    const quantity = toMilli(doc.quantity) ?? 0;
    cells.set(cellKey(doc.storeId, doc.productId), { quantity, version: doc.version });
    history.set(historyKey(doc.storeId, doc.productId, doc.version), quantity);
  }
  const pendingBy = new Map<string, number>();
  for (const op of pending) {
    if (!('lines' in op)) continue;
    for (const productId of new Set(op.lines.map((l) => l.productId))) {
      products.add(productId);
      pendingBy.set(productId, (pendingBy.get(productId) ?? 0) + 1);
    }
  }
  const quantities = new Map(stock.map((doc) => [doc.productId, doc.quantity]));
  const countWaits = new Set<string>();
  if (pending.length === 0) return { quantities, pendingBy, countWaits };
  const moving = pending.filter((op) => op.type !== 'store_product_update');
  const { stock: after, outcomes } = resolveBatch(moving, { products, stock: cells, history, storeProducts: new Map() });
  for (const cell of after.values()) quantities.set(cell.productId, fromMilli(cell.quantity));
  for (const outcome of outcomes) {
    if (outcome.operation.type === 'count' && outcome.reason === 'unknown_base_version') {
      for (const line of outcome.operation.lines) countWaits.add(line.productId);
    }
  }
  return { quantities, pendingBy, countWaits };
}
