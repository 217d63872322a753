import { MovementEvent, StoreProductEvent, toMilli, topics } from '@bazaar/shared';
import { localHour } from '../analytics/projection';
import { trackStock } from '../runtime/stock-state';
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
    const zoneOf = await storeTimeZones(tx, [...new Set(events.map((e) => e.storeId))]);
    const touched = new Map<string, { storeId: string; productId: string; asOf: string }>();
    for (const event of events) {
      if (event.type !== 'stock.moved' && event.type !== 'store-product.changed') continue;
      await trackStock(tx, 'replenishment_stock', event);
      const { day } = localHour(event.type === 'stock.moved' ? event.clientTime : event.occurredAt, zoneOf(event.storeId));
      if (event.type === 'stock.moved' && (event.operationType === 'sale' || event.operationType === 'return')) {
        await tx.query(
          `INSERT INTO replenishment_daily (store_id, product_id, day, units_milli) VALUES ($1, $2, $3, $4)
           ON CONFLICT (store_id, product_id, day) DO UPDATE SET units_milli = replenishment_daily.units_milli + EXCLUDED.units_milli`,
          [event.storeId, event.productId, day, -(toMilli(event.delta) ?? 0)],
        );
      }
      const key = `${event.storeId}:${event.productId}`;
      const seen = touched.get(key);
      if (!seen || day > seen.asOf) touched.set(key, { storeId: event.storeId, productId: event.productId, asOf: day });
    }
    for (const pair of touched.values()) await refresh(tx, pair);
  },
};

async function refresh(tx: Queryable, { storeId, productId, asOf }: { storeId: string; productId: string; asOf: string }): Promise<void> {
  const { rows } = await tx.query<{ units: string[]; quantity_milli: string; version: number; reorder_milli: string | null }>(
    `SELECT array(SELECT coalesce(d.units_milli, 0)::text
                    FROM generate_series($3::date - 27, $3::date, interval '1 day') AS g(day)
                    LEFT JOIN replenishment_daily d ON d.store_id = $1 AND d.product_id = $2 AND d.day = g.day::date
                   ORDER BY g.day) AS units,
            s.quantity_milli, s.version, s.reorder_milli
       FROM replenishment_stock s WHERE s.store_id = $1 AND s.product_id = $2`,
    [storeId, productId, asOf],
  );
  const row = rows[0];
  // Stock no movement has told the worker about is unknown: no suggestion yet.
  if (!row || row.version < 0) return;
  const onHand = Number(row.quantity_milli) / 1000;
  const reorderLevel = row.reorder_milli === null ? null : Number(row.reorder_milli) / 1000;
  const s = suggest({ dailyUnits: row.units.map((u) => Math.max(0, Number(u)) / 1000), asOf, onHand, inTransit: 0, reorderLevel, leadTimeDays: DEFAULT_LEAD_TIME_DAYS });
  await tx.query(
    `INSERT INTO replenishment_suggestions (store_id, product_id, as_of, on_hand, reorder_level, daily_velocity, lead_time_days, suggested_quantity, basis, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
     ON CONFLICT (store_id, product_id) DO UPDATE SET as_of = EXCLUDED.as_of, on_hand = EXCLUDED.on_hand, reorder_level = EXCLUDED.reorder_level,
       daily_velocity = EXCLUDED.daily_velocity, lead_time_days = EXCLUDED.lead_time_days, suggested_quantity = EXCLUDED.suggested_quantity,
       basis = EXCLUDED.basis, updated_at = now()`,
    [storeId, productId, asOf, onHand, reorderLevel, s.dailyVelocity, DEFAULT_LEAD_TIME_DAYS, s.suggestedQuantity, JSON.stringify(s.basis)],
  );
}

