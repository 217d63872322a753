import { MovementEvent, topics } from '@bazaar/shared';
import { storeTimeZones } from '../runtime/stores';
import type { Queryable, Worker } from '../runtime/worker';
import { costKey, project, type CostState, type SalesCell } from './projection';

/**
 * The analytics projector: folds each batch of movement events (project) and
 * adds the result to the report tables, all in the runner's transaction.
 */
export const analyticsWorker: Worker = {
  name: 'analytics',
  topics: [topics.movements],
  parse: (_topic, payload) => MovementEvent.parse(payload),
  async apply(tx, events) {
    const movements = events.filter((e): e is MovementEvent => e.type === 'stock.moved');
    if (movements.length === 0) return;
    const stores = [...new Set(movements.map((m) => m.storeId))];
    const zoneOf = await storeTimeZones(tx, stores);
    const costs = await lockCosts(tx, movements);
    const projected = project(movements, costs, zoneOf);
    await saveCosts(tx, projected.costs);
    await addSales(tx, [...projected.cells.values()]);
    await touchActivity(tx, projected.lastEventAt);
  },
};

async function lockCosts(tx: Queryable, movements: readonly MovementEvent[]): Promise<Map<string, CostState>> {
  const pairs = [...new Map(movements.map((m) => [costKey(m.storeId, m.productId), m])).values()];
  const { rows } = await tx.query<{ store_id: string; product_id: string; on_hand_milli: string; basis_paisa: string }>(
    `SELECT c.store_id, c.product_id, c.on_hand_milli, c.basis_paisa
       FROM report_costs c JOIN unnest($1::uuid[], $2::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
        FOR UPDATE OF c`,
    [pairs.map((m) => m.storeId), pairs.map((m) => m.productId)],
  );
  return new Map(rows.map((r) => [costKey(r.store_id, r.product_id), { onHandMilli: BigInt(r.on_hand_milli), basisPaisa: BigInt(r.basis_paisa) }]));
}

async function saveCosts(tx: Queryable, costs: ReadonlyMap<string, CostState>): Promise<void> {
  const rows = [...costs].map(([key, c]) => {
    const [storeId, productId] = key.split(':');
    return { storeId, productId, onHand: c.onHandMilli.toString(), basis: c.basisPaisa.toString() };
  });
  await tx.query(
    `INSERT INTO report_costs (store_id, product_id, on_hand_milli, basis_paisa)
     SELECT "storeId", "productId", "onHand", basis FROM jsonb_to_recordset($1::jsonb) AS r("storeId" uuid, "productId" uuid, "onHand" bigint, basis bigint)
     ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand_milli = EXCLUDED.on_hand_milli, basis_paisa = EXCLUDED.basis_paisa`,
    [JSON.stringify(rows)],
  );
}

const ADDED = [
  'tickets', 'sales', 'units_milli', 'revenue_paisa', 'cash_paisa', 'credit_paisa',
  'costed_revenue_paisa', 'cost_paisa', 'return_tickets', 'returned_milli', 'refunds_paisa',
] as const;

async function addSales(tx: Queryable, cells: readonly SalesCell[]): Promise<void> {
  if (cells.length === 0) return;
  const rows = cells.map((c) => [
    c.storeId, c.day, c.hour, c.productId, c.tickets, c.sales, c.unitsMilli, c.revenuePaisa, c.cashPaisa,
    c.creditPaisa, c.costedRevenuePaisa, c.costPaisa, c.returnTickets, c.returnedMilli, c.refundsPaisa,
  ]);
  await tx.query(
    `INSERT INTO report_sales (store_id, day, hour, product_id, ${ADDED.join(', ')})
     SELECT (r->>0)::uuid, (r->>1)::date, (r->>2)::smallint, (r->>3)::uuid, ${ADDED.map((_, i) => `(r->>${i + 4})::bigint`).join(', ')}
       FROM jsonb_array_elements($1::jsonb) AS r
     ON CONFLICT (store_id, day, hour, product_id) DO UPDATE SET ${ADDED.map((c) => `${c} = report_sales.${c} + EXCLUDED.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}

async function touchActivity(tx: Queryable, lastEventAt: ReadonlyMap<string, string>): Promise<void> {
  await tx.query(
    `INSERT INTO report_store_activity (store_id, last_event_at)
     SELECT (r->>0)::uuid, (r->>1)::timestamptz FROM jsonb_array_elements($1::jsonb) AS r
     ON CONFLICT (store_id) DO UPDATE SET last_event_at = greatest(report_store_activity.last_event_at, EXCLUDED.last_event_at), projected_at = now()`,
    [JSON.stringify([...lastEventAt])],
  );
}
