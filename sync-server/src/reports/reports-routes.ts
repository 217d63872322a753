import { Router } from 'express';
import {
  AlertsQuery,
  mayReadReports,
  mayReadStore,
  ReplenishmentQuery,
  SalesReportQuery,
  type Alert,
  type AlertList,
  type ReplenishmentList,
  type ReplenishmentSuggestion,
  type SalesReport,
} from '@bazaar/shared';
import { currentUser } from '../auth/require-user';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { validateQuery } from '../http/validate';

const KEYS: Record<SalesReportQuery['groupBy'], string> = {
  day: `to_char(day, 'YYYY-MM-DD')`,
  hour: `to_char(day, 'YYYY-MM-DD') || 'T' || lpad(hour::text, 2, '0')`,
  product: 'product_id::text',
  store: 'store_id::text',
};

interface Sums {
  key: string;
  tickets: string;
  sales: string;
  units: string;
  revenue: string;
  costed: string;
  cost: string;
  cash: string;
  credit: string;
  returns: string;
  returned: string;
  refunds: string;
}

/**
 * The reports the workers compute, read from the replica (DATABASE_READ_URL):
 * a projection is seconds behind the pushes anyway, and `asOf` says how far.
 */
export function reportsRoutes(db: Database): Router {
  const router = Router();

  router.get('/sales', validateQuery(SalesReportQuery), async (_req, res) => {
    const user = currentUser(res);
    const query: SalesReportQuery = res.locals.query;
    const storeIds = query.storeIds ?? (user.role === 'admin' ? null : user.storeIds);
    if (user.role === 'shopkeeper' || (storeIds ?? []).some((id) => !mayReadReports(user, id))) {
      throw new AppError('forbidden', 'Reports are for the owners and managers of these stores.');
    }
    const scope = `($1::uuid[] IS NULL OR store_id = ANY($1::uuid[]))`;
    const [{ rows }, { rows: asOf }] = await Promise.all([
      db.readPool.query<Sums>(
        `SELECT ${KEYS[query.groupBy]} AS key, sum(tickets) AS tickets, sum(sales) AS sales, sum(units_milli) AS units,
                sum(revenue_paisa) AS revenue, sum(costed_revenue_paisa) AS costed, sum(cost_paisa) AS cost,
                sum(cash_paisa) AS cash, sum(credit_paisa) AS credit, sum(return_tickets) AS returns,
                sum(returned_milli) AS returned, sum(refunds_paisa) AS refunds
           FROM report_sales WHERE ${scope} AND day BETWEEN $2::date AND $3::date
          GROUP BY 1 ORDER BY 1`,
        [storeIds, query.from, query.to],
      ),
      db.readPool.query<{ at: Date | null }>(`SELECT max(last_event_at) AS at FROM report_store_activity WHERE ${scope}`, [storeIds]),
    ]);
    const rupees = (paisa: string) => Number(paisa) / 100;
    const body: SalesReport = {
      rows: rows.map((r) => ({
        key: r.key,
        sales: Number(query.groupBy === 'product' ? r.sales : r.tickets),
        units: Number(r.units) / 1000,
        revenue: rupees(r.revenue),
        cost: rupees(r.cost),
        margin: (Number(r.costed) - Number(r.cost)) / 100,
        cash: rupees(r.cash),
        credit: rupees(r.credit),
        returns: Number(r.returns),
        returnedUnits: Number(r.returned) / 1000,
        refunds: rupees(r.refunds),
      })),
      asOf: asOf[0]?.at?.toISOString() ?? null,
    };
    res.json(body);
  });

  return router;
}

/** `GET /api/alerts`: a store's alerts, newest first; every role of the store sees them (a shopkeeper can see what runs low). */
export function alertsRoutes(db: Database): Router {
  const router = Router();
  router.get('/', validateQuery(AlertsQuery), async (_req, res) => {
    const user = currentUser(res);
    const query: AlertsQuery = res.locals.query;
    if (!mayReadStore(user, query.storeId)) throw new AppError('forbidden', 'You may not see this store.');
    const { rows } = await db.readPool.query<Alert>(
      `SELECT id, store_id AS "storeId", product_id AS "productId", kind, opened_at AS "openedAt", cleared_at AS "clearedAt", detail
         FROM alerts WHERE store_id = $1 AND ($2 = 'all' OR ($2 = 'open') = (cleared_at IS NULL))
        ORDER BY opened_at DESC LIMIT 1000`,
      [query.storeId, query.status],
    );
    const body: AlertList = { alerts: rows };
    res.json(body);
  });

  return router;
}

/** `GET /api/replenishment`: suggested orders for a store, for whoever may read its reports. */
export function replenishmentRoutes(db: Database): Router {
  const router = Router();
  router.get('/', validateQuery(ReplenishmentQuery), async (_req, res) => {
    const user = currentUser(res);
    const query: ReplenishmentQuery = res.locals.query;
    if (!mayReadReports(user, query.storeId)) throw new AppError('forbidden', 'Suggested orders are for the owners and managers of this store.');
    const { rows } = await db.readPool.query<ReplenishmentSuggestion>(
      `SELECT product_id AS "productId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", on_hand::float8 AS "onHand",
              reorder_level::float8 AS "reorderLevel", daily_velocity::float8 AS "dailyVelocity", lead_time_days AS "leadTimeDays",
              suggested_quantity::float8 AS "suggestedQuantity", basis
         FROM replenishment_suggestions
        WHERE store_id = $1 AND ($2 OR suggested_quantity > 0)
          AND product_id NOT IN (SELECT id FROM products WHERE retired_at IS NOT NULL)
        ORDER BY suggested_quantity DESC, product_id LIMIT 5000`,
      [query.storeId, query.all === 'true'],
    );
    const body: ReplenishmentList = { suggestions: rows };
    res.json(body);
  });
  return router;
}
