import {
  PERIOD_DAYS,
  type AlertRow,
  type AlertsTableQuery,
  type DashboardPeriod,
  type DashboardScope,
  type Figures,
  type ProductRow,
  type ProductsTableQuery,
  type ReplenishmentRow,
  type ReplenishmentTableQuery,
  type StoreRow,
  type StoresTableQuery,
  type TrendPoint,
  type TrendQuery,
} from '@bazaar/shared';
import type { Queryable } from '../db/database';

/**
 * The dashboards' SQL over the workers' projections. Every query starts from
 * the stores in scope ($1 the ids, null for all; $2 a region or null) and
 * each store's own local "now" (its time zone), so a period is the stores'
 * own days. Money is summed in paisa and turned into rupees once.
 */

export interface Scope {
  storeIds: readonly string[] | null;
  region: string | null;
}

// Materialized: each store's local day and hour are worked out once, not once per joined row.
const SCOPE = `scope AS MATERIALIZED (
  SELECT id, name, city, region, (now() AT TIME ZONE time_zone)::date AS today, extract(hour FROM now() AT TIME ZONE time_zone)::int AS hour
    FROM stores
   WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) AND ($2::text IS NULL OR region = $2::text)
)`;

const TOTALS = `tickets, units_milli, revenue_paisa, cash_paisa, credit_paisa, costed_revenue_paisa, cost_paisa, return_tickets, refunds_paisa`;
/**
 * The stores' sums of the period ($3 days ending today: `current`) and of the
 * one before, which ends at the same local hour: whole days from
 * report_store_days, and the hours of its last day up to this hour from
 * report_store_hours. A row per store and day, not per product. Each store's
 * own days bound its rows; the scope's first and last day bound them all as
 * constants too, so the planner can read a whole region's period by day.
 */
const BOUNDS = `bounds AS MATERIALIZED (SELECT min(today) AS first, max(today) AS last FROM scope)`;
const PERIOD = `${BOUNDS},
period AS (
  SELECT r.store_id, r.day > s.today - $3::int AS current, ${TOTALS.split(', ').map((c) => `r.${c}`).join(', ')}
    FROM scope s JOIN report_store_days r ON r.store_id = s.id AND r.day > s.today - 2 * $3::int AND r.day <= s.today AND r.day <> s.today - $3::int
   WHERE r.day > (SELECT first FROM bounds) - 2 * $3::int AND r.day <= (SELECT last FROM bounds)
  UNION ALL
  SELECT r.store_id, false, ${TOTALS.split(', ').map((c) => `r.${c}`).join(', ')}
    FROM scope s JOIN report_store_hours r ON r.store_id = s.id AND r.day = s.today - $3::int AND r.hour <= s.hour
   WHERE r.day >= (SELECT first FROM bounds) - $3::int AND r.day <= (SELECT last FROM bounds) - $3::int
)`;
/**
 * Every store at once (an admin's unfiltered view) reads the zone rollups of
 * migration 0021 instead: the same period rule, each zone's own "now" worked
 * out per row, a few thousand rows whatever the number of stores. Local days are within a day of UTC's, which bounds the rows
 * read by the primary key before the exact rule. `days` is the parameter
 * holding the period's days.
 */
const ZONE_NOW = `CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE r.time_zone)::date AS today, extract(hour FROM now() AT TIME ZONE r.time_zone)::int AS hour) z`;
const zonePeriod = (days: string) => `period AS (
  SELECT r.day > z.today - ${days} AS current, ${TOTALS.split(', ').map((c) => `r.${c}`).join(', ')}
    FROM report_zone_hours r ${ZONE_NOW}
   WHERE r.day > current_date - 2 * ${days} - 1 AND r.day <= current_date + 1
     AND r.day > z.today - 2 * ${days} AND r.day <= z.today AND (r.day <> z.today - ${days} OR r.hour <= z.hour)
)`;
const zoneCurrent = (days: string) => `r.day > current_date - ${days} - 1 AND r.day <= current_date + 1 AND r.day > z.today - ${days} AND r.day <= z.today`;
const everyStore = (scope: Scope) => scope.storeIds === null && scope.region === null;

// report_sales rows (per product) of the period alone.
const CURRENT = `r.day > s.today - $3::int AND r.day <= s.today`;

const rupees = (paisa: string | number | null) => Number(paisa ?? 0) / 100;
const milli = (thousandths: string | number | null) => Number(thousandths ?? 0) / 1000;
const scopeParams = (scope: Scope) => [scope.storeIds, scope.region];
/** `q` as an ILIKE pattern matching it anywhere, its own wildcards taken literally. */
const containing = (q: string | undefined) => (q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null);

interface PageQuery {
  page: number;
  pageSize: number;
}
const offset = (query: PageQuery) => (query.page - 1) * query.pageSize;

/** One page of a table: its rows (each query row carries the matching total, `count(*) OVER ()`), and where it stands. */
function tablePage<Raw extends { total: string | number }, Row>(rows: readonly Raw[], toRow: (raw: Raw) => Row, query: PageQuery, asOfTime: string | null) {
  return { rows: rows.map(toRow), total: Number(rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize, asOf: asOfTime };
}

interface FigureSums {
  tickets: string | null;
  units: string | null;
  revenue: string | null;
  margin: string | null;
  cash: string | null;
  credit: string | null;
  returns: string | null;
  refunds: string | null;
}

const FIGURE_SUMS = (filter: string) => `
  sum(r.tickets) FILTER (WHERE ${filter}) AS tickets, sum(r.units_milli) FILTER (WHERE ${filter}) AS units,
  sum(r.revenue_paisa) FILTER (WHERE ${filter}) AS revenue,
  sum(r.costed_revenue_paisa - r.cost_paisa) FILTER (WHERE ${filter}) AS margin,
  sum(r.cash_paisa) FILTER (WHERE ${filter}) AS cash, sum(r.credit_paisa) FILTER (WHERE ${filter}) AS credit,
  sum(r.return_tickets) FILTER (WHERE ${filter}) AS returns, sum(r.refunds_paisa) FILTER (WHERE ${filter}) AS refunds`;

const figures = (row: FigureSums | undefined): Figures => ({
  sales: Number(row?.tickets ?? 0),
  units: milli(row?.units ?? 0),
  revenue: rupees(row?.revenue ?? 0),
  margin: rupees(row?.margin ?? 0),
  cash: rupees(row?.cash ?? 0),
  credit: rupees(row?.credit ?? 0),
  returns: Number(row?.returns ?? 0),
  refunds: rupees(row?.refunds ?? 0),
});

/** When the newest event the projections hold for these stores reached the server. */
async function asOf(q: Queryable, scope: Scope): Promise<string | null> {
  const { rows } = everyStore(scope)
    ? await q.query<{ at: Date | null }>(`SELECT max(last_event_at) AS at FROM report_store_activity`)
    : await q.query<{ at: Date | null }>(
        `WITH ${SCOPE} SELECT max(a.last_event_at) AS at FROM scope s JOIN report_store_activity a ON a.store_id = s.id`,
        scopeParams(scope),
      );
  return rows[0]?.at?.toISOString() ?? null;
}

export async function readOverview(q: Queryable, scope: Scope, period: DashboardPeriod) {
  const params = [...scopeParams(scope), PERIOD_DAYS[period]];
  const [{ rows }, { rows: counts }, at] = await Promise.all([
    everyStore(scope)
      ? q.query<FigureSums & { previous: boolean }>(`WITH ${zonePeriod('$1::int')} SELECT NOT current AS previous, ${FIGURE_SUMS('true')} FROM period r GROUP BY 1`, [PERIOD_DAYS[period]])
      : q.query<FigureSums & { previous: boolean }>(`WITH ${SCOPE}, ${PERIOD} SELECT NOT current AS previous, ${FIGURE_SUMS('true')} FROM period r GROUP BY 1`, params),
    q.query<{ stores: string; selling: string }>(
      // Bounded by the scope's days as PERIOD is, so a whole region's or every store's rows are read by day.
      `WITH ${SCOPE}, ${BOUNDS}
       SELECT (SELECT count(*) FROM scope) AS stores,
              (SELECT count(DISTINCT r.store_id) FROM scope s JOIN report_store_days r ON r.store_id = s.id AND ${CURRENT} AND r.tickets > 0
                WHERE r.day > (SELECT first FROM bounds) - $3::int AND r.day <= (SELECT last FROM bounds)) AS selling`,
      params,
    ),
    asOf(q, scope),
  ]);
  return {
    period,
    current: figures(rows.find((r) => !r.previous)),
    previous: figures(rows.find((r) => r.previous)),
    stores: Number(counts[0]?.stores ?? 0),
    sellingStores: Number(counts[0]?.selling ?? 0),
    asOf: at,
  };
}

export async function readTrend(q: Queryable, scope: Scope, query: TrendQuery): Promise<{ points: TrendPoint[]; asOf: string | null }> {
  const key = query.bucket === 'hour' ? `to_char(r.day, 'YYYY-MM-DD') || 'T' || lpad(r.hour::text, 2, '0')` : `to_char(r.day, 'YYYY-MM-DD')`;
  // One product's trend is read per product; every product's from the store rollups.
  const table = query.productId ? 'report_sales' : query.bucket === 'hour' ? 'report_store_hours' : 'report_store_days';
  const sales = query.productId ? 'r.sales' : 'r.tickets';
  const SUMS = `${key} AS key, sum(${sales}) AS sales, sum(r.units_milli) AS units, sum(r.revenue_paisa) AS revenue`;
  const [{ rows }, at] = await Promise.all([
    everyStore(scope) && !query.productId
      ? q.query<{ key: string; sales: string; units: string; revenue: string }>(
          `SELECT ${SUMS} FROM report_zone_hours r ${ZONE_NOW} WHERE ${zoneCurrent('$1::int')} GROUP BY 1 ORDER BY 1`,
          [PERIOD_DAYS[query.period]],
        )
      : q.query<{ key: string; sales: string; units: string; revenue: string }>(
          `WITH ${SCOPE}
           SELECT ${SUMS}
             FROM scope s JOIN ${table} r ON r.store_id = s.id AND ${CURRENT}
            WHERE $4::uuid IS NULL ${query.productId ? 'OR r.product_id = $4::uuid' : ''}
            GROUP BY 1 ORDER BY 1`,
          [...scopeParams(scope), PERIOD_DAYS[query.period], query.productId ?? null],
        ),
    asOf(q, scope),
  ]);
  return { points: rows.map((r) => ({ key: r.key, sales: Number(r.sales), units: milli(r.units), revenue: rupees(r.revenue) })), asOf: at };
}

// Sort columns by name: the query's `sort` picks one of these, never text of its own.
const STORE_ORDER: Readonly<Record<StoresTableQuery['sort'], string>> = {
  name: 's.name',
  revenue: 'coalesce(f.revenue, 0)',
  change: 'coalesce(f.revenue, 0) - coalesce(f.previous, 0)',
  margin: 'coalesce(f.margin, 0)',
  stockValue: 'coalesce(a.stock_basis_paisa, 0)',
  openAlerts: 'coalesce(al.open, 0)',
  lastEventAt: 'a.last_event_at',
};

export async function readStoresTable(q: Queryable, scope: Scope, query: StoresTableQuery) {
  const order = `${STORE_ORDER[query.sort]} ${query.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, s.name, s.id`;
  const [{ rows }, at] = await Promise.all([
    q.query<{
      id: string;
      name: string;
      city: string | null;
      region: string | null;
      tickets: string | null;
      revenue: string | null;
      previous: string | null;
      margin: string | null;
      value: string | null;
      open: string | null;
      last_event_at: Date | null;
      total: string;
    }>(
      // Today against yesterday until this hour from one row a store-day: the day's revenue_hours
      // (migration 0021) give the part of the last day before the period, not an hour row each.
      `WITH ${SCOPE}, ${BOUNDS},
       matching AS (SELECT * FROM scope WHERE $4::text IS NULL OR name ILIKE $4 OR city ILIKE $4 OR region ILIKE $4),
       f AS (
         SELECT r.store_id, sum(r.tickets) FILTER (WHERE r.day > s.today - $3::int) AS tickets,
                sum(r.revenue_paisa) FILTER (WHERE r.day > s.today - $3::int) AS revenue,
                sum(CASE WHEN r.day = s.today - $3::int THEN (SELECT sum(x) FROM unnest(r.revenue_hours[1:s.hour + 1]) AS x) ELSE r.revenue_paisa END)
                  FILTER (WHERE r.day <= s.today - $3::int) AS previous,
                sum(r.costed_revenue_paisa - r.cost_paisa) FILTER (WHERE r.day > s.today - $3::int) AS margin
           FROM scope s JOIN report_store_days r ON r.store_id = s.id AND r.day > s.today - 2 * $3::int AND r.day <= s.today
          WHERE r.day > (SELECT first FROM bounds) - 2 * $3::int AND r.day <= (SELECT last FROM bounds)
          GROUP BY 1),
       al AS (SELECT x.store_id, count(*) AS open FROM matching s JOIN alerts x ON x.store_id = s.id AND x.cleared_at IS NULL GROUP BY 1)
       SELECT s.id, s.name, s.city, s.region, f.tickets, f.revenue, f.previous, f.margin, a.stock_basis_paisa AS value, al.open, a.last_event_at,
              count(*) OVER () AS total
         FROM matching s
         LEFT JOIN f ON f.store_id = s.id
         LEFT JOIN al ON al.store_id = s.id
         LEFT JOIN report_store_activity a ON a.store_id = s.id
        ORDER BY ${order}
        LIMIT $5 OFFSET $6`,
      [...scopeParams(scope), PERIOD_DAYS[query.period], containing(query.q), query.pageSize, offset(query)],
    ),
    asOf(q, scope),
  ]);
  return tablePage(
    rows,
    (r): StoreRow => ({
      id: r.id,
      name: r.name,
      city: r.city,
      region: r.region,
      sales: Number(r.tickets ?? 0),
      revenue: rupees(r.revenue),
      previousRevenue: rupees(r.previous),
      margin: rupees(r.margin),
      stockValue: rupees(r.value),
      openAlerts: Number(r.open ?? 0),
      lastEventAt: r.last_event_at?.toISOString() ?? null,
    }),
    query,
    at,
  );
}

export async function readProductsTable(q: Queryable, scope: Scope, query: ProductsTableQuery) {
  // Top: what sold most. Slow: what the stores hold, least sold first, the most held first among equals.
  const [where, order] =
    query.order === 'top'
      ? ['sold.product_id IS NOT NULL', 'coalesce(sold.revenue, 0) DESC, coalesce(sold.units, 0) DESC']
      : ['held.on_hand > 0', 'coalesce(sold.units, 0) ASC, held.on_hand DESC'];
  const [{ rows }, at] = await Promise.all([
    q.query<{
      id: string;
      sku: string;
      name_en: string;
      name_ur: string;
      unit: string;
      units: string | null;
      revenue: string | null;
      margin: string | null;
      on_hand: string | null;
      stores: string | null;
      total: string;
    }>(
      `WITH ${SCOPE},
       ${
         everyStore(scope)
           ? // Every store: the zone and holdings rollups (migration 0021); the scope goes unread.
             `sold AS (
         SELECT r.product_id, sum(r.units_milli) AS units, sum(r.revenue_paisa) AS revenue, sum(r.costed_revenue_paisa - r.cost_paisa) AS margin
           FROM report_zone_products r ${ZONE_NOW}
          WHERE ${zoneCurrent('$3::int')}
          GROUP BY 1),
       held AS (SELECT product_id, sum(on_hand_milli) / 1000.0 AS on_hand, sum(stores) AS stores FROM report_product_holdings GROUP BY 1)`
           : `sold AS (
         SELECT r.product_id, sum(r.units_milli) AS units, sum(r.revenue_paisa) AS revenue, sum(r.costed_revenue_paisa - r.cost_paisa) AS margin
           FROM scope s JOIN report_sales r ON r.store_id = s.id AND ${CURRENT}
          GROUP BY 1),
       held AS (
         SELECT st.product_id, sum(st.quantity) AS on_hand, count(*) FILTER (WHERE st.quantity > 0) AS stores
           FROM scope s JOIN stock st ON st.store_id = s.id
          GROUP BY 1)`
       }
       SELECT p.id, p.sku, p.name_en, p.name_ur, p.unit, sold.units, sold.revenue, sold.margin, held.on_hand, held.stores,
              count(*) OVER () AS total
         FROM products p
         LEFT JOIN sold ON sold.product_id = p.id
         LEFT JOIN held ON held.product_id = p.id
        WHERE ${where} AND ($4::text IS NULL OR p.name_en ILIKE $4 OR p.name_ur ILIKE $4 OR p.sku ILIKE $4)
        ORDER BY ${order}, p.name_en, p.id
        LIMIT $5 OFFSET $6`,
      [...scopeParams(scope), PERIOD_DAYS[query.period], containing(query.q), query.pageSize, offset(query)],
    ),
    asOf(q, scope),
  ]);
  return tablePage(
    rows,
    (r): ProductRow => ({
      productId: r.id,
      sku: r.sku,
      nameEn: r.name_en,
      nameUr: r.name_ur,
      unit: r.unit,
      units: milli(r.units),
      revenue: rupees(r.revenue),
      margin: rupees(r.margin),
      onHand: Number(r.on_hand ?? 0),
      stores: Number(r.stores ?? 0),
    }),
    query,
    at,
  );
}

export async function readAlertsTable(q: Queryable, scope: Scope, query: AlertsTableQuery) {
  const [{ rows }, at] = await Promise.all([
    q.query<AlertRow & { total: string }>(
      `WITH ${SCOPE}
       SELECT x.id, x.store_id AS "storeId", x.product_id AS "productId", x.kind, x.opened_at AS "openedAt", x.cleared_at AS "clearedAt",
              x.detail, s.name AS "storeName", p.sku, p.name_en AS "nameEn", p.name_ur AS "nameUr", count(*) OVER () AS total
         FROM scope s JOIN alerts x ON x.store_id = s.id AND x.cleared_at IS NULL
         LEFT JOIN products p ON p.id = x.product_id
        WHERE $3::text IS NULL OR x.kind = $3::text
        ORDER BY x.opened_at, x.id
        LIMIT $4 OFFSET $5`,
      [...scopeParams(scope), query.kind ?? null, query.pageSize, offset(query)],
    ),
    asOf(q, scope),
  ]);
  return tablePage(
    rows,
    ({ total: _total, ...row }): AlertRow => ({
      ...row,
      openedAt: new Date(row.openedAt).toISOString(),
      clearedAt: null,
    }),
    query,
    at,
  );
}

export async function readReplenishmentTable(q: Queryable, scope: Scope, query: ReplenishmentTableQuery) {
  const NEEDED = `x.suggested_quantity > 0`;
  // Nobody orders a retired product from the supplier.
  const ON_SALE = `JOIN products p ON p.id = x.product_id AND p.retired_at IS NULL`;
  const ORDER = `suggested_quantity DESC, store_name, name_en, store_id, product_id`;
  // The page is picked from narrow rows and only its rows are read whole: across every store the
  // suggestions run to six figures, and carrying each one's basis through the sort cost most of the time.
  // Every store at once walks the suggestions by need (index of migration 0021), so only the first
  // few needs are joined and sorted by name, and counts them apart.
  const [source, params] = everyStore(scope)
    ? [
        `page AS (
           SELECT x.store_id, x.product_id, x.suggested_quantity, s.name AS store_name, p.name_en
             FROM replenishment_suggestions x JOIN stores s ON s.id = x.store_id ${ON_SALE}
            WHERE ${NEEDED} ORDER BY ${ORDER.replace('suggested_quantity', 'x.suggested_quantity')} LIMIT $1 OFFSET $2),
         counted AS (
           SELECT count(*) AS n FROM replenishment_suggestions x
            WHERE ${NEEDED} AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = x.product_id AND p.retired_at IS NOT NULL))`,
        [query.pageSize, offset(query)],
      ]
    : [
        `${SCOPE},
         matching AS (
           SELECT x.store_id, x.product_id, x.suggested_quantity, s.name AS store_name, p.name_en
             FROM scope s JOIN replenishment_suggestions x ON x.store_id = s.id AND ${NEEDED} ${ON_SALE}),
         page AS (SELECT * FROM matching ORDER BY ${ORDER} LIMIT $3 OFFSET $4),
         counted AS (SELECT count(*) AS n FROM matching)`,
        [...scopeParams(scope), query.pageSize, offset(query)],
      ];
  const [{ rows }, at] = await Promise.all([
    q.query<ReplenishmentRow & { total: string }>(
      `WITH ${source}
       SELECT x.store_id AS "storeId", page.store_name AS "storeName", x.product_id AS "productId", p.sku, p.name_en AS "nameEn", p.name_ur AS "nameUr", p.unit,
              to_char(x.as_of, 'YYYY-MM-DD') AS "asOf", x.on_hand::float8 AS "onHand", x.reorder_level::float8 AS "reorderLevel",
              x.daily_velocity::float8 AS "dailyVelocity", x.lead_time_days AS "leadTimeDays", x.suggested_quantity::float8 AS "suggestedQuantity",
              x.basis, (SELECT n FROM counted) AS total
         FROM page
         JOIN replenishment_suggestions x USING (store_id, product_id)
         JOIN products p ON p.id = page.product_id
        ORDER BY ${ORDER.split(', ').map((c) => `page.${c}`).join(', ')}`,
      params,
    ),
    asOf(q, scope),
  ]);
  return tablePage(rows, ({ total: _total, ...row }) => row, query, at);
}

export async function readScope(q: Queryable, storeIds: readonly string[] | null): Promise<DashboardScope> {
  const { rows } = await q.query<{ region: string | null; stores: string }>(
    `SELECT region, count(*) AS stores FROM stores WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1 NULLS LAST`,
    [storeIds],
  );
  return {
    stores: rows.reduce((n, r) => n + Number(r.stores), 0),
    regions: rows.flatMap((r) => (r.region === null ? [] : [{ region: r.region, stores: Number(r.stores) }])),
  };
}
