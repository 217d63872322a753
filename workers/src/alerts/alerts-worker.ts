import { MovementEvent, StoreProductEvent, toMilli, topics, type Alert, type AlertKind, type BazaarEvent } from '@bazaar/shared';
import { storeProductIds, stockTracker, type StockEvent, type StockState } from '../runtime/stock-state';
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
    await heardFrom(tx, heard);
    const stockEvents = events.filter((e): e is StockEvent => e.type === 'stock.moved' || e.type === 'store-product.changed');
    if (stockEvents.length > 0) {
      const stock = await stockTracker(tx, 'alert_stock', stockEvents);
      const alerts = await openAlerts(tx, stockEvents);
      for (const event of stockEvents) judge(alerts, event, stock.at(event));
      await stock.save();
      await alerts.save();
    }
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

/** One event's verdicts: the stock alerts of the state after it, and for a count, whether it disagreed. */
function judge(alerts: OpenAlerts, event: StockEvent, state: StockState): void {
  const about = subject(event);
  const detail = { quantity: state.quantityMilli / 1000, reorderLevel: state.reorderMilli === null ? null : state.reorderMilli / 1000 };
  // Stock no movement has told this worker about is unknown (from before the worker ran): judged from its first movement on.
  if (state.version >= 0) {
    const holds = stockAlerts(state);
    for (const kind of Object.keys(holds) as StockAlertKind[]) alerts.set(about, kind, holds[kind], detail);
  }
  if (event.type === 'stock.moved' && event.operationType === 'count') {
    alerts.set(about, 'count_mismatch', countMismatch(toMilli(event.delta) ?? 0), { difference: event.delta, countedQuantity: event.quantity });
  }
}

/** The stores synced: their last event time moves on, and a store_silent alert clears (at the store's first event). */
async function heardFrom(tx: Queryable, heard: ReadonlyMap<string, { first: string; last: string }>): Promise<void> {
  if (heard.size === 0) return;
  const stores = [...heard];
  await tx.query(
    `INSERT INTO alert_store_activity (store_id, last_event_at) SELECT * FROM unnest($1::uuid[], $2::timestamptz[])
     ON CONFLICT (store_id) DO UPDATE SET last_event_at = greatest(alert_store_activity.last_event_at, EXCLUDED.last_event_at)`,
    [stores.map(([id]) => id), stores.map(([, t]) => t.last)],
  );
  const { rows } = await tx.query<Alert>(
    `UPDATE alerts a SET cleared_at = h.first::timestamptz, detail = a.detail || jsonb_build_object('lastEventAt', h.first)
       FROM unnest($1::uuid[], $2::text[]) AS h(store, first)
      WHERE a.store_id = h.store AND a.product_id IS NULL AND a.kind = 'store_silent' AND a.cleared_at IS NULL
     RETURNING ${ALERT_COLUMNS}`,
    [stores.map(([id]) => id), stores.map(([, t]) => t.first)],
  );
  for (const row of rows) await queueDelivery(tx, 'cleared', row);
}

/** What an alert is about: a store product, or the store itself (productId null), and when it was judged. */
interface Subject {
  storeId: string;
  productId: string | null;
  at: string;
}
const subject = (event: BazaarEvent & { productId: string }): Subject => ({ storeId: event.storeId, productId: event.productId, at: event.occurredAt });

/** A batch's verdicts on its store products' alerts, weighed against those open before it and written by `save`. */
interface OpenAlerts {
  set(about: Subject, kind: AlertKind, open: boolean, detail: object): void;
  save(): Promise<void>;
}

/**
 * Reads the open alerts of the events' store products once. Verdicts that
 * open or clear an alert are written in their order (setOpen, each queued for
 * the webhook); an alert that stays open gets the last detail the batch gave
 * it, in one statement, and only if it changed (each change is pulled).
 */
async function openAlerts(tx: Queryable, events: readonly StockEvent[]): Promise<OpenAlerts> {
  const { rows } = await tx.query<{ store_id: string; product_id: string; kind: AlertKind }>(
    `SELECT a.store_id, a.product_id, a.kind FROM alerts a JOIN unnest($1::uuid[], $2::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
      WHERE a.cleared_at IS NULL`,
    storeProductIds(events),
  );
  const keyOf = (storeId: string, productId: string | null, kind: AlertKind) => `${storeId}|${productId}|${kind}`;
  const open = new Set(rows.map((r) => keyOf(r.store_id, r.product_id, r.kind)));
  const turns: { about: Subject; kind: AlertKind; open: boolean; detail: object }[] = [];
  const details = new Map<string, { about: Subject; kind: AlertKind; detail: object }>();
  return {
    set(about, kind, holds, detail) {
      const key = keyOf(about.storeId, about.productId, kind);
      if (holds === open.has(key)) {
        if (holds) details.set(key, { about, kind, detail });
        return;
      }
      if (holds) open.add(key);
      else open.delete(key);
      details.delete(key);
      turns.push({ about, kind, open: holds, detail });
    },
    async save() {
      for (const t of turns) await setOpen(tx, t.about, t.kind, t.open, t.detail);
      if (details.size === 0) return;
      const list = [...details.values()];
      await tx.query(
        `UPDATE alerts a SET detail = k.detail
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) AS k(store, product, kind, detail)
          WHERE a.store_id = k.store AND a.product_id = k.product AND a.kind = k.kind AND a.cleared_at IS NULL AND a.detail IS DISTINCT FROM k.detail`,
        [list.map((d) => d.about.storeId), list.map((d) => d.about.productId), list.map((d) => d.kind), list.map((d) => JSON.stringify(d.detail))],
      );
    },
  };
}

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
