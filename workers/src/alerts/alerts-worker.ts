import { MovementEvent, StoreProductEvent, toMilli, topics, type BazaarEvent } from '@bazaar/shared';
import type { Queryable, Worker } from '../runtime/worker';
import { countMismatch, stockAlerts, type StockAlertKind } from './rules';

/**
 * The alerts worker (the design's notification service): keeps each store
 * product's stock and reorder level from the movement and store-product
 * events, and opens or clears its alerts as `rules.ts` says. Opened and
 * cleared times are the events' server times, so a replay gives the same.
 */
export const alertsWorker: Worker = {
  name: 'alerts',
  topics: [topics.movements, topics.storeProducts],
  parse: (topic, payload) => (topic === topics.storeProducts ? StoreProductEvent.parse(payload) : MovementEvent.parse(payload)),
  async apply(tx, events) {
    for (const event of events) await applyOne(tx, event);
  },
};

async function applyOne(tx: Queryable, event: BazaarEvent): Promise<void> {
  if (event.type === 'stock.moved') {
    const state = await updateStock(tx, event.storeId, event.productId, {
      quantity: `CASE WHEN $4 > s.version THEN $3 ELSE s.quantity_milli END`,
      version: `greatest(s.version, $4)`,
    }, [toMilli(event.quantity) ?? 0, event.version]);
    await settle(tx, event, stockAlerts(state), { quantity: state.quantityMilli / 1000, reorderLevel: state.reorderMilli === null ? null : state.reorderMilli / 1000 });
    if (event.operationType === 'count') {
      const delta = toMilli(event.delta) ?? 0;
      await setOpen(tx, event, 'count_mismatch', countMismatch(delta), { difference: event.delta, countedQuantity: event.quantity });
    }
  } else if (event.type === 'store-product.changed') {
    const level = event.reorderLevel === null ? null : toMilli(event.reorderLevel);
    const state = await updateStock(tx, event.storeId, event.productId, {
      reorder: `CASE WHEN $4 > s.level_version THEN $3 ELSE s.reorder_milli END`,
      levelVersion: `greatest(s.level_version, $4)`,
    }, [level, event.version]);
    // Stock no movement has told this worker about is unknown (seeded, or from before the worker): judged from its first movement on.
    if (state.version >= 0) {
      await settle(tx, event, stockAlerts(state), { quantity: state.quantityMilli / 1000, reorderLevel: state.reorderMilli === null ? null : state.reorderMilli / 1000 });
    }
  }
}

/** Upserts the store product's row with the given column updates; answers the state after. */
async function updateStock(
  tx: Queryable,
  storeId: string,
  productId: string,
  set: { quantity?: string; version?: string; reorder?: string; levelVersion?: string },
  values: [number | null, number],
): Promise<{ quantityMilli: number; version: number; reorderMilli: number | null }> {
  const columns = [
    set.quantity && `quantity_milli = ${set.quantity}`,
    set.version && `version = ${set.version}`,
    set.reorder && `reorder_milli = ${set.reorder}`,
    set.levelVersion && `level_version = ${set.levelVersion}`,
  ].filter(Boolean);
  await tx.query(`INSERT INTO alert_stock (store_id, product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [storeId, productId]);
  const { rows } = await tx.query<{ quantity_milli: string; version: number; reorder_milli: string | null }>(
    `UPDATE alert_stock s SET ${columns.join(', ')} WHERE s.store_id = $1 AND s.product_id = $2 RETURNING quantity_milli, version, reorder_milli`,
    [storeId, productId, values[0], values[1]],
  );
  const row = rows[0]!;
  return { quantityMilli: Number(row.quantity_milli), version: row.version, reorderMilli: row.reorder_milli === null ? null : Number(row.reorder_milli) };
}

async function settle(tx: Queryable, event: BazaarEvent & { productId: string }, holds: Record<StockAlertKind, boolean>, detail: object) {
  for (const kind of Object.keys(holds) as StockAlertKind[]) await setOpen(tx, event, kind, holds[kind], detail);
}

/** Opens the store product's alert of `kind` if it is not open, or clears it, as `open` says. */
async function setOpen(tx: Queryable, event: BazaarEvent & { productId: string }, kind: string, open: boolean, detail: object) {
  if (open) {
    await tx.query(
      `INSERT INTO alerts (store_id, product_id, kind, opened_at, detail) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (store_id, coalesce(product_id, '00000000-0000-0000-0000-000000000000'::uuid), kind) WHERE cleared_at IS NULL
       DO UPDATE SET detail = EXCLUDED.detail`,
      [event.storeId, event.productId, kind, event.occurredAt, JSON.stringify(detail)],
    );
  } else {
    await tx.query(
      `UPDATE alerts SET cleared_at = $4, detail = detail || $5::jsonb WHERE store_id = $1 AND product_id = $2 AND kind = $3 AND cleared_at IS NULL`,
      [event.storeId, event.productId, kind, event.occurredAt, JSON.stringify(detail)],
    );
  }
}
