import { toMilli, type MovementEvent, type StoreProductEvent } from '@bazaar/shared';
import type { Queryable } from './worker';

/** A worker's own copy of a store product's stock and reorder level (tables `alert_stock`, `replenishment_stock`). */
export interface StockState {
  quantityMilli: number;
  /** -1 until a movement told the worker the stock. */
  version: number;
  reorderMilli: number | null;
  levelVersion: number;
}

export type StockEvent = MovementEvent | StoreProductEvent;
export type StockTable = 'alert_stock' | 'replenishment_stock';

export const stockKey = (storeId: string, productId: string) => `${storeId}:${productId}`;
/** The distinct store products of `items`, as the two id arrays an `unnest($1::uuid[], $2::uuid[])` reads. */
export function storeProductIds(items: readonly { storeId: string; productId: string }[]): [storeIds: string[], productIds: string[]] {
  const pairs = [...new Map(items.map((i) => [stockKey(i.storeId, i.productId), i])).values()];
  return [pairs.map((p) => p.storeId), pairs.map((p) => p.productId)];
}

const unknown = (): StockState => ({ quantityMilli: 0, version: -1, reorderMilli: null, levelVersion: -1 });

/**
 * Folds one event into a store product's state: the stock of the newest
 * movement and the reorder level of the newest edit win, by their versions,
 * so the two topics converge whatever order they are read in relative to
 * each other.
 */
export function foldStock(state: StockState, event: StockEvent): StockState {
  if (event.type === 'stock.moved') {
    return event.version > state.version ? { ...state, quantityMilli: toMilli(event.quantity) ?? 0, version: event.version } : state;
  }
  if (event.version <= state.levelVersion) return state;
  return { ...state, reorderMilli: event.reorderLevel === null ? null : (toMilli(event.reorderLevel) ?? null), levelVersion: event.version };
}

/**
 * A batch's store products, read (and locked) once: `at(event)` folds the
 * next event and answers the state after it, and `save()` writes every state
 * the batch changed in one statement. Three statements a batch instead of
 * one upsert an event: the alerts and replenishment workers kept up with a
 * busy push only this way (bench:sync --workers).
 */
export async function stockTracker(tx: Queryable, table: StockTable, events: readonly StockEvent[]) {
  const { rows } = await tx.query<{ store_id: string; product_id: string; quantity_milli: string; version: number; reorder_milli: string | null; level_version: number }>(
    `SELECT s.store_id, s.product_id, s.quantity_milli, s.version, s.reorder_milli, s.level_version
       FROM ${table} s JOIN unnest($1::uuid[], $2::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
      -- One order for every batch: two replicas that share store products take their locks without a deadlock.
      ORDER BY s.store_id, s.product_id
        FOR UPDATE OF s`,
    storeProductIds(events),
  );
  const states = new Map<string, StockState>(
    rows.map((r) => [
      stockKey(r.store_id, r.product_id),
      { quantityMilli: Number(r.quantity_milli), version: r.version, reorderMilli: r.reorder_milli === null ? null : Number(r.reorder_milli), levelVersion: r.level_version },
    ]),
  );
  const changed = new Set<string>();
  return {
    at(event: StockEvent): StockState {
      const key = stockKey(event.storeId, event.productId);
      const before = states.get(key) ?? unknown();
      const after = foldStock(before, event);
      if (after !== before) {
        states.set(key, after);
        changed.add(key);
      }
      return after;
    },
    async save(): Promise<void> {
      if (changed.size === 0) return;
      const list = [...changed].map((key) => [key.split(':'), states.get(key)!] as const);
      // Versions decide here too: a row another replica wrote since the read keeps whichever is newer.
      await tx.query(
        `INSERT INTO ${table} AS s (store_id, product_id, quantity_milli, version, reorder_milli, level_version)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::int[], $5::bigint[], $6::int[])
         ON CONFLICT (store_id, product_id) DO UPDATE SET
           quantity_milli = CASE WHEN EXCLUDED.version > s.version THEN EXCLUDED.quantity_milli ELSE s.quantity_milli END,
           version = greatest(s.version, EXCLUDED.version),
           reorder_milli = CASE WHEN EXCLUDED.level_version > s.level_version THEN EXCLUDED.reorder_milli ELSE s.reorder_milli END,
           level_version = greatest(s.level_version, EXCLUDED.level_version)`,
        [
          list.map(([[storeId]]) => storeId),
          list.map(([[, productId]]) => productId),
          list.map(([, s]) => s.quantityMilli),
          list.map(([, s]) => s.version),
          list.map(([, s]) => s.reorderMilli),
          list.map(([, s]) => s.levelVersion),
        ],
      );
    },
  };
}
