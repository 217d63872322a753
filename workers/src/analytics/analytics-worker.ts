import { MovementEvent, topics } from '@bazaar/shared';
import { storeProductIds } from '../runtime/stock-state';
import { storeTimeZones } from '../runtime/stores';
import type { Queryable, Worker } from '../runtime/worker';
import { costKey, basisChanges, holdingChanges, project, zoneHours, zoneProducts, type CostState, type HoldingChange, type SalesCell } from './projection';

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
    const cells = [...projected.cells.values()];
    await addSales(tx, cells);
    await addStoreTotals(tx, cells);
    await addAllStoreTotals(tx, cells, zoneOf);
    await addHoldings(tx, holdingChanges(costs, projected.costs));
    await touchActivity(tx, projected.lastEventAt, basisChanges(costs, projected.costs));
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

/** An upsert's SET adding the new row's sums to the stored ones. */
const addedTo = (table: string, columns: readonly string[]) => columns.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(', ');

async function addSales(tx: Queryable, cells: readonly SalesCell[]): Promise<void> {
  if (cells.length === 0) return;
  await tx.query(
    `INSERT INTO report_sales (store_id, day, hour, product_id, ${ADDED.join(', ')})
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::smallint[], $4::uuid[], ${ADDED.map((_, i) => `$${i + 5}::bigint[]`).join(', ')})
     ON CONFLICT (store_id, day, hour, product_id) DO UPDATE SET ${addedTo('report_sales', ADDED)}`,
    [
      cells.map((c) => c.storeId), cells.map((c) => c.day), cells.map((c) => c.hour), cells.map((c) => c.productId),
      cells.map((c) => c.tickets), cells.map((c) => c.sales), cells.map((c) => c.unitsMilli), cells.map((c) => c.revenuePaisa),
      cells.map((c) => c.cashPaisa), cells.map((c) => c.creditPaisa), cells.map((c) => c.costedRevenuePaisa), cells.map((c) => c.costPaisa),
      cells.map((c) => c.returnTickets), cells.map((c) => c.returnedMilli), cells.map((c) => c.refundsPaisa),
    ],
  );
}

// The same sums without the product, per store and hour and per store and day: what dashboards across stores read.
const TOTALS = ADDED.filter((c) => c !== 'sales');
const CELL_FIELD: Record<(typeof ADDED)[number], keyof SalesCell> = {
  tickets: 'tickets', sales: 'sales', units_milli: 'unitsMilli', revenue_paisa: 'revenuePaisa', cash_paisa: 'cashPaisa', credit_paisa: 'creditPaisa',
  costed_revenue_paisa: 'costedRevenuePaisa', cost_paisa: 'costPaisa', return_tickets: 'returnTickets', returned_milli: 'returnedMilli', refunds_paisa: 'refundsPaisa',
};

async function addStoreTotals(tx: Queryable, cells: readonly SalesCell[]): Promise<void> {
  if (cells.length === 0) return;
  const sums = (key: (c: SalesCell) => string) => {
    const by = new Map<string, { cell: SalesCell; totals: number[] }>();
    for (const cell of cells) {
      const entry = by.get(key(cell)) ?? { cell, totals: TOTALS.map(() => 0) };
      TOTALS.forEach((column, i) => (entry.totals[i]! += cell[CELL_FIELD[column]] as number));
      by.set(key(cell), entry);
    }
    return [...by.values()];
  };
  const hours = sums((c) => `${c.storeId}|${c.day}|${c.hour}`);
  await tx.query(
    `INSERT INTO report_store_hours (store_id, day, hour, ${TOTALS.join(', ')})
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::smallint[], ${TOTALS.map((_, i) => `$${i + 4}::bigint[]`).join(', ')})
     ON CONFLICT (store_id, day, hour) DO UPDATE SET ${addedTo('report_store_hours', TOTALS)}`,
    [hours.map((h) => h.cell.storeId), hours.map((h) => h.cell.day), hours.map((h) => h.cell.hour), ...TOTALS.map((_, i) => hours.map((h) => h.totals[i]))],
  );
  const dayKey = (c: SalesCell) => `${c.storeId}|${c.day}`;
  const days = sums(dayKey);
  // Each day's revenue by hour as well (migration 0021), added hour by hour; sent as array literals, one a row.
  const revenueHours = new Map<string, number[]>();
  for (const cell of cells) {
    const hours = revenueHours.get(dayKey(cell)) ?? Array<number>(24).fill(0);
    hours[cell.hour]! += cell.revenuePaisa;
    revenueHours.set(dayKey(cell), hours);
  }
  const n = TOTALS.length;
  await tx.query(
    `INSERT INTO report_store_days (store_id, day, ${TOTALS.join(', ')}, revenue_hours)
     SELECT store_id, day, ${TOTALS.join(', ')}, hours::bigint[]
       FROM unnest($1::uuid[], $2::date[], ${TOTALS.map((_, i) => `$${i + 3}::bigint[]`).join(', ')}, $${n + 3}::text[]) AS t(store_id, day, ${TOTALS.join(', ')}, hours)
     ON CONFLICT (store_id, day) DO UPDATE SET ${addedTo('report_store_days', TOTALS)},
       revenue_hours = (SELECT array_agg(a + b ORDER BY i) FROM unnest(report_store_days.revenue_hours, EXCLUDED.revenue_hours) WITH ORDINALITY AS h(a, b, i))`,
    [
      days.map((d) => d.cell.storeId), days.map((d) => d.cell.day), ...TOTALS.map((_, i) => days.map((d) => d.totals[i])),
      days.map((d) => `{${revenueHours.get(dayKey(d.cell))!.join(',')}}`),
    ],
  );
}

/** Every store's sums (migration 0021): by zone, day and hour, and by zone, day and product; each row one of a few shards. */
async function addAllStoreTotals(tx: Queryable, cells: readonly SalesCell[], zoneOf: (storeId: string) => string): Promise<void> {
  if (cells.length === 0) return;
  const hours = zoneHours(cells, zoneOf);
  await tx.query(
    `INSERT INTO report_zone_hours (day, time_zone, hour, shard, ${TOTALS.join(', ')})
     SELECT * FROM unnest($1::date[], $2::text[], $3::smallint[], $4::smallint[], ${TOTALS.map((_, i) => `$${i + 5}::bigint[]`).join(', ')})
     ON CONFLICT (day, time_zone, hour, shard) DO UPDATE SET ${addedTo('report_zone_hours', TOTALS)}`,
    [
      hours.map((h) => h.at.day), hours.map((h) => h.at.timeZone), hours.map((h) => h.at.hour), hours.map((h) => h.at.shard),
      ...TOTALS.map((column) => hours.map((h) => h.totals[CELL_FIELD[column] as keyof typeof h.totals])),
    ],
  );
  const products = zoneProducts(cells, zoneOf);
  const PRODUCT_TOTALS = ['units_milli', 'revenue_paisa', 'costed_revenue_paisa', 'cost_paisa'] as const;
  await tx.query(
    `INSERT INTO report_zone_products (day, time_zone, product_id, shard, ${PRODUCT_TOTALS.join(', ')})
     SELECT * FROM unnest($1::date[], $2::text[], $3::uuid[], $4::smallint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
     ON CONFLICT (day, time_zone, product_id, shard) DO UPDATE SET ${addedTo('report_zone_products', PRODUCT_TOTALS)}`,
    [
      products.map((p) => p.at.day), products.map((p) => p.at.timeZone), products.map((p) => p.at.productId), products.map((p) => p.at.shard),
      ...PRODUCT_TOTALS.map((column) => products.map((p) => p.totals[CELL_FIELD[column] as keyof typeof p.totals])),
    ],
  );
}

async function addHoldings(tx: Queryable, changes: readonly HoldingChange[]): Promise<void> {
  const changed = changes.filter((c) => c.onHandMilli !== 0n || c.stores !== 0);
  if (changed.length === 0) return;
  await tx.query(
    `INSERT INTO report_product_holdings (product_id, shard, on_hand_milli, stores)
     SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::bigint[], $4::int[])
     ON CONFLICT (product_id, shard) DO UPDATE
       SET on_hand_milli = report_product_holdings.on_hand_milli + EXCLUDED.on_hand_milli, stores = report_product_holdings.stores + EXCLUDED.stores`,
    [changed.map((c) => c.productId), changed.map((c) => c.shard), changed.map((c) => c.onHandMilli.toString()), changed.map((c) => c.stores)],
  );
}

async function touchActivity(tx: Queryable, lastEventAt: ReadonlyMap<string, string>, basis: ReadonlyMap<string, bigint>): Promise<void> {
  const stores = [...lastEventAt.keys()];
  await tx.query(
    `INSERT INTO report_store_activity (store_id, last_event_at, stock_basis_paisa) SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[])
     ON CONFLICT (store_id) DO UPDATE SET last_event_at = greatest(report_store_activity.last_event_at, EXCLUDED.last_event_at), projected_at = now(),
       stock_basis_paisa = report_store_activity.stock_basis_paisa + EXCLUDED.stock_basis_paisa`,
    [stores, stores.map((s) => lastEventAt.get(s)), stores.map((s) => (basis.get(s) ?? 0n).toString())],
  );
}
