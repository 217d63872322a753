import { MovementEvent, StoreProductEvent, toMilli, topics } from '@bazaar/shared';
import { localHour } from '../analytics/projection';
import { stockKey, stockTracker, type StockEvent } from '../runtime/stock-state';
import { storeTimeZones } from '../runtime/stores';
import type { Queryable, Worker } from '../runtime/worker';
import { DEFAULT_LEAD_TIME_DAYS, suggest } from './suggest';

/**
 * The replenishment worker: keeps each store product's stock, reorder level
 * and daily net units sold, and after each batch suggests again for every
 * store product the batch touched (suggest.ts), as of the latest local day
 * among its events. Nothing is in transit yet (a purchase is received when it
 * is recorded), and the supplier lead time is DEFAULT_LEAD_TIME_DAYS.
 */
export const replenishmentWorker: Worker = {
  name: 'replenishment',
  topics: [topics.movements, topics.storeProducts],
  parse: (topic, payload) => (topic === topics.storeProducts ? StoreProductEvent.parse(payload) : MovementEvent.parse(payload)),
  async apply(tx, events) {
    const stockEvents = events.filter((e): e is StockEvent => e.type === 'stock.moved' || e.type === 'store-product.changed');
    if (stockEvents.length === 0) return;
    const zoneOf = await storeTimeZones(tx, [...new Set(stockEvents.map((e) => e.storeId))]);
    const stock = await stockTracker(tx, 'replenishment_stock', stockEvents);
    const sold = new Map<string, { storeId: string; productId: string; day: string; unitsMilli: number }>();
    const touched = new Map<string, { storeId: string; productId: string; asOf: string }>();
    for (const event of stockEvents) {
      stock.at(event);
      const { day } = localHour(event.type === 'stock.moved' ? event.clientTime : event.occurredAt, zoneOf(event.storeId));
      if (event.type === 'stock.moved' && (event.operationType === 'sale' || event.operationType === 'return')) {
        const key = `${event.storeId}:${event.productId}:${day}`;
        const cell = sold.get(key) ?? { storeId: event.storeId, productId: event.productId, day, unitsMilli: 0 };
        cell.unitsMilli -= toMilli(event.delta) ?? 0;
        sold.set(key, cell);
      }
      const key = stockKey(event.storeId, event.productId);
      const seen = touched.get(key);
      if (!seen || day > seen.asOf) touched.set(key, { storeId: event.storeId, productId: event.productId, asOf: day });
    }
    await stock.save();
    if (sold.size > 0) {
      const cells = [...sold.values()];
      await tx.query(
        `INSERT INTO replenishment_daily (store_id, product_id, day, units_milli) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::bigint[])
         ON CONFLICT (store_id, product_id, day) DO UPDATE SET units_milli = replenishment_daily.units_milli + EXCLUDED.units_milli`,
        [cells.map((c) => c.storeId), cells.map((c) => c.productId), cells.map((c) => c.day), cells.map((c) => c.unitsMilli)],
      );
    }
    await refresh(tx, [...touched.values()]);
  },
};

/** Suggests again for each store product, as of its day: one read of the last 28 days and stock, one write of the suggestions. */
async function refresh(tx: Queryable, pairs: readonly { storeId: string; productId: string; asOf: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  const { rows } = await tx.query<{ store_id: string; product_id: string; as_of: string; units: string[]; quantity_milli: string; version: number; reorder_milli: string | null }>(
    `SELECT k.store_id, k.product_id, k.as_of::text AS as_of,
            array(SELECT coalesce(d.units_milli, 0)::text
                    FROM generate_series(k.as_of - 27, k.as_of, interval '1 day') AS g(day)
                    LEFT JOIN replenishment_daily d ON d.store_id = k.store_id AND d.product_id = k.product_id AND d.day = g.day::date
                   ORDER BY g.day) AS units,
            s.quantity_milli, s.version, s.reorder_milli
       FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS k(store_id, product_id, as_of)
       JOIN replenishment_stock s USING (store_id, product_id)`,
    [pairs.map((p) => p.storeId), pairs.map((p) => p.productId), pairs.map((p) => p.asOf)],
  );
  // Stock no movement has told the worker about is unknown: no suggestion yet.
  const known = rows.filter((row) => row.version >= 0);
  if (known.length === 0) return;
  const suggestions = known.map((row) => {
    const onHand = Number(row.quantity_milli) / 1000;
    const reorderLevel = row.reorder_milli === null ? null : Number(row.reorder_milli) / 1000;
    const s = suggest({ dailyUnits: row.units.map((u) => Math.max(0, Number(u)) / 1000), asOf: row.as_of, onHand, inTransit: 0, reorderLevel, leadTimeDays: DEFAULT_LEAD_TIME_DAYS });
    return { row, onHand, reorderLevel, s };
  });
  await tx.query(
    `INSERT INTO replenishment_suggestions (store_id, product_id, as_of, on_hand, reorder_level, daily_velocity, lead_time_days, suggested_quantity, basis, updated_at)
     SELECT k.*, now() FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::numeric[], $5::numeric[], $6::numeric[], $7::int[], $8::numeric[], $9::jsonb[]) AS k
     ON CONFLICT (store_id, product_id) DO UPDATE SET as_of = EXCLUDED.as_of, on_hand = EXCLUDED.on_hand, reorder_level = EXCLUDED.reorder_level,
       daily_velocity = EXCLUDED.daily_velocity, lead_time_days = EXCLUDED.lead_time_days, suggested_quantity = EXCLUDED.suggested_quantity,
       basis = EXCLUDED.basis, updated_at = now()`,
    [
      suggestions.map((x) => x.row.store_id),
      suggestions.map((x) => x.row.product_id),
      suggestions.map((x) => x.row.as_of),
      suggestions.map((x) => x.onHand),
      suggestions.map((x) => x.reorderLevel),
      suggestions.map((x) => x.s.dailyVelocity),
      suggestions.map(() => DEFAULT_LEAD_TIME_DAYS),
      suggestions.map((x) => x.s.suggestedQuantity),
      suggestions.map((x) => JSON.stringify(x.s.basis)),
    ],
  );
}
