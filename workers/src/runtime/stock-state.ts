import { toMilli, type MovementEvent, type StoreProductEvent } from '@bazaar/shared';
import type { Queryable } from './worker';

/** A worker's own copy of a store product's stock and reorder level (tables `alert_stock`, `replenishment_stock`). */
export interface StockState {
  quantityMilli: number;
  /** -1 until a movement told the worker the stock. */
  version: number;
  reorderMilli: number | null;
}

/**
 * Folds one movement or store-product event into `table`: the stock of the
 * newest movement and the reorder level of the newest edit win, by their
 * versions, so the two topics converge whatever order they are read in
 * relative to each other. Answers the state after.
 */
export async function trackStock(tx: Queryable, table: 'alert_stock' | 'replenishment_stock', event: MovementEvent | StoreProductEvent): Promise<StockState> {
  // One upsert: a first event makes the row with its value, a later one wins only with a newer version.
  const [value, version, update] =
    event.type === 'stock.moved'
      ? ['quantity_milli', 'version', `quantity_milli = CASE WHEN $4 > s.version THEN $3 ELSE s.quantity_milli END, version = greatest(s.version, $4)`]
      : ['reorder_milli', 'level_version', `reorder_milli = CASE WHEN $4 > s.level_version THEN $3 ELSE s.reorder_milli END, level_version = greatest(s.level_version, $4)`];
  const amount = event.type === 'stock.moved' ? toMilli(event.quantity) : event.reorderLevel === null ? null : toMilli(event.reorderLevel);
  const { rows } = await tx.query<{ quantity_milli: string; version: number; reorder_milli: string | null }>(
    `INSERT INTO ${table} AS s (store_id, product_id, ${value}, ${version}) VALUES ($1, $2, $3, $4)
     ON CONFLICT (store_id, product_id) DO UPDATE SET ${update}
     RETURNING quantity_milli, version, reorder_milli`,
    [event.storeId, event.productId, amount, event.version],
  );
  const row = rows[0]!;
  return { quantityMilli: Number(row.quantity_milli), version: row.version, reorderMilli: row.reorder_milli === null ? null : Number(row.reorder_milli) };
}
