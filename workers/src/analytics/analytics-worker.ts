import { MovementEvent, topics } from '@bazaar/shared';
import { storeProductIds } from '../runtime/stock-state';
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
  const { rows } = await tx.query<{ store_id: string; product_id: string; on_hand_milli: string; basis_paisa: string }>(
    `SELECT c.store_id, c.product_id, c.on_hand_milli, c.basis_paisa
       FROM report_costs c JOIN unnest($1::uuid[], $2::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
      -- One order for every batch, so two consumers briefly sharing stores in a rebalance cannot deadlock.
      ORDER BY c.store_id, c.product_id
        FOR UPDATE OF c`,
    storeProductIds(movements),
  );
  return new Map(rows.map((r) => [costKey(r.store_id, r.product_id), { onHandMilli: BigInt(r.on_hand_milli), basisPaisa: BigInt(r.basis_paisa) }]));
}

async function saveCosts(tx: Queryable, costs: ReadonlyMap<string, CostState>): Promise<void> {
  const keys = [...costs.keys()].map((key) => key.split(':'));
  const states = [...costs.values()];
  // Typed arrays rather than one JSON document: PostgreSQL reads them for a third of the work (bench:workers).
  await tx.query(
    `INSERT INTO report_costs (store_id, product_id, on_hand_milli, basis_paisa)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[])
     ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand_milli = EXCLUDED.on_hand_milli, basis_paisa = EXCLUDED.basis_paisa`,
    [keys.map(([storeId]) => storeId), keys.map(([, productId]) => productId), states.map((c) => c.onHandMilli.toString()), states.map((c) => c.basisPaisa.toString())],
  );
}

const ADDED = [
  'tickets', 'sales', 'units_milli', 'revenue_paisa', 'cash_paisa', 'credit_paisa',
  'costed_revenue_paisa', 'cost_paisa', 'return_tickets', 'returned_milli', 'refunds_paisa',
] as const;

async function addSales(tx: Queryable, cells: readonly SalesCell[]): Promise<void> {
  if (cells.length === 0) return;
  await tx.query(
    `INSERT INTO report_sales (store_id, day, hour, product_id, ${ADDED.join(', ')})
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::smallint[], $4::uuid[], ${ADDED.map((_, i) => `$${i + 5}::bigint[]`).join(', ')})
     ON CONFLICT (store_id, day, hour, product_id) DO UPDATE SET ${ADDED.map((c) => `${c} = report_sales.${c} + EXCLUDED.${c}`).join(', ')}`,
    [
      cells.map((c) => c.storeId), cells.map((c) => c.day), cells.map((c) => c.hour), cells.map((c) => c.productId),
      cells.map((c) => c.tickets), cells.map((c) => c.sales), cells.map((c) => c.unitsMilli), cells.map((c) => c.revenuePaisa),
      cells.map((c) => c.cashPaisa), cells.map((c) => c.creditPaisa), cells.map((c) => c.costedRevenuePaisa), cells.map((c) => c.costPaisa),
      cells.map((c) => c.returnTickets), cells.map((c) => c.returnedMilli), cells.map((c) => c.refundsPaisa),
    ],
  );
}

async function touchActivity(tx: Queryable, lastEventAt: ReadonlyMap<string, string>): Promise<void> {
  await tx.query(
    `INSERT INTO report_store_activity (store_id, last_event_at) SELECT * FROM unnest($1::uuid[], $2::timestamptz[])
     ON CONFLICT (store_id) DO UPDATE SET last_event_at = greatest(report_store_activity.last_event_at, EXCLUDED.last_event_at), projected_at = now()`,
    [[...lastEventAt.keys()], [...lastEventAt.values()]],
  );
}
