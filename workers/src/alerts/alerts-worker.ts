import { MovementEvent, StoreProductEvent, toMilli, topics, type BazaarEvent } from '@bazaar/shared';
import { trackStock } from '../runtime/stock-state';
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
  if (event.type !== 'stock.moved' && event.type !== 'store-product.changed') return;
  const state = await trackStock(tx, 'alert_stock', event);
  const detail = { quantity: state.quantityMilli / 1000, reorderLevel: state.reorderMilli === null ? null : state.reorderMilli / 1000 };
  // Stock no movement has told this worker about is unknown (from before the worker ran): judged from its first movement on.
  if (state.version >= 0) await settle(tx, event, stockAlerts(state), detail);
  if (event.type === 'stock.moved' && event.operationType === 'count') {
    await setOpen(tx, event, 'count_mismatch', countMismatch(toMilli(event.delta) ?? 0), { difference: event.delta, countedQuantity: event.quantity });
  }
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
