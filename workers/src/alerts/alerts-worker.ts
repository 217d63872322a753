import { MovementEvent, StoreProductEvent, toMilli, topics, type Alert, type AlertKind, type BazaarEvent } from '@bazaar/shared';
import { trackStock } from '../runtime/stock-state';
import type { Changes, Queryable, Worker } from '../runtime/worker';
import { countMismatch, stockAlerts, type StockAlertKind } from './rules';
import { ALERT_COLUMNS, queueDelivery } from './webhook';

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
    // Once per store a batch speaks for: the first event clears store_silent, the latest is the last heard.
    const heard = new Map<string, { first: string; last: string }>();
    for (const e of events) {
      const seen = heard.get(e.storeId);
      if (!seen) heard.set(e.storeId, { first: e.occurredAt, last: e.occurredAt });
      else if (e.occurredAt > seen.last) seen.last = e.occurredAt;
    }
    for (const [storeId, times] of heard) await heardFrom(tx, storeId, times);
    for (const event of events) await applyOne(tx, event);
    return alertsWritten(tx, [...heard.keys()]);
  },
  tick: async (tx, now) => alertsWritten(tx, await openSilentStores(tx, now)),
};

/** The stores whose alerts this transaction wrote (opened, cleared or brought up to date): their devices pull them. */
async function alertsWritten(tx: Queryable, storeIds: readonly string[]): Promise<Changes> {
  if (storeIds.length === 0) return [];
  const { rows } = await tx.query<{ store_id: string }>(
    `SELECT DISTINCT store_id FROM alerts WHERE store_id = ANY($1::uuid[]) AND txid = pg_current_xact_id()`,
    [storeIds],
  );
  return rows.map((r) => ({ storeId: r.store_id, collections: ['alerts'] }));
}

/** How long a store may go without an event before it is `store_silent`: a day, for a shop open every day. */
export const STORE_SILENT_AFTER_MS = 24 * 3_600_000;

async function applyOne(tx: Queryable, event: BazaarEvent): Promise<void> {
  if (event.type !== 'stock.moved' && event.type !== 'store-product.changed') return;
  const state = await trackStock(tx, 'alert_stock', event);
  const detail = { quantity: state.quantityMilli / 1000, reorderLevel: state.reorderMilli === null ? null : state.reorderMilli / 1000 };
  // Stock no movement has told this worker about is unknown (from before the worker ran): judged from its first movement on.
  if (state.version >= 0) await settle(tx, event, stockAlerts(state), detail);
  if (event.type === 'stock.moved' && event.operationType === 'count') {
    await setOpen(tx, subject(event), 'count_mismatch', countMismatch(toMilli(event.delta) ?? 0), { difference: event.delta, countedQuantity: event.quantity });
  }
}

/** The store synced: its last event time moves on, and a store_silent alert clears (at its first event). */
async function heardFrom(tx: Queryable, storeId: string, times: { first: string; last: string }): Promise<void> {
  await tx.query(
    `INSERT INTO alert_store_activity (store_id, last_event_at) VALUES ($1, $2)
     ON CONFLICT (store_id) DO UPDATE SET last_event_at = greatest(alert_store_activity.last_event_at, EXCLUDED.last_event_at)`,
    [storeId, times.last],
  );
  await setOpen(tx, { storeId, productId: null, at: times.first }, 'store_silent', false, { lastEventAt: times.first });
}

async function settle(tx: Queryable, event: BazaarEvent & { productId: string }, holds: Record<StockAlertKind, boolean>, detail: object) {
  for (const kind of Object.keys(holds) as StockAlertKind[]) await setOpen(tx, subject(event), kind, holds[kind], detail);
}

/** What an alert is about: a store product, or the store itself (productId null), and when it was judged. */
interface Subject {
  storeId: string;
  productId: string | null;
  at: string;
}
const subject = (event: BazaarEvent & { productId: string }): Subject => ({ storeId: event.storeId, productId: event.productId, at: event.occurredAt });

/**
 * Opens the subject's alert of `kind` if it is not open, or clears it, as
 * `open` says. An alert that opens or clears is queued for the webhook in
 * the same transaction (a detail that changes on an open alert is not news).
 */
async function setOpen(tx: Queryable, about: Subject, kind: AlertKind, open: boolean, detail: object) {
  if (open) {
    const { rows } = await tx.query<Alert & { opened: boolean }>(
      `INSERT INTO alerts (store_id, product_id, kind, opened_at, detail) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (store_id, coalesce(product_id, '00000000-0000-0000-0000-000000000000'::uuid), kind) WHERE cleared_at IS NULL
       DO UPDATE SET detail = EXCLUDED.detail
       RETURNING ${ALERT_COLUMNS}, xmax = 0 AS opened`,
      [about.storeId, about.productId, kind, about.at, JSON.stringify(detail)],
    );
    if (rows[0]?.opened) await queueDelivery(tx, 'opened', rows[0]);
  } else {
    const { rows } = await tx.query<Alert>(
      `UPDATE alerts SET cleared_at = $4, detail = detail || $5::jsonb
        WHERE store_id = $1 AND product_id IS NOT DISTINCT FROM $2 AND kind = $3 AND cleared_at IS NULL
       RETURNING ${ALERT_COLUMNS}`,
      [about.storeId, about.productId, kind, about.at, JSON.stringify(detail)],
    );
    for (const row of rows) await queueDelivery(tx, 'cleared', row);
  }
}

/**
 * The timer's half of `store_silent`: opens it for every store whose last
 * event is older than `silentAfterMs` (stores that never synced are new, not
 * silent). The store's next event clears it. Safe to run on every replica at
 * once: one open alert per store and kind. Answers the stores it judged silent.
 */
export async function openSilentStores(tx: Queryable, now: Date, silentAfterMs = STORE_SILENT_AFTER_MS): Promise<string[]> {
  const { rows } = await tx.query<{ store_id: string; last_event_at: Date }>(
    `SELECT store_id, last_event_at FROM alert_store_activity WHERE last_event_at < $1`,
    [new Date(now.getTime() - silentAfterMs)],
  );
  for (const row of rows) {
    await setOpen(tx, { storeId: row.store_id, productId: null, at: now.toISOString() }, 'store_silent', true, {
      lastEventAt: row.last_event_at.toISOString(),
      silentHours: Math.floor((now.getTime() - row.last_event_at.getTime()) / 3_600_000),
    });
  }
  return rows.map((r) => r.store_id);
}
