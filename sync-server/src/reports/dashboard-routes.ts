import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import {
  AlertsTableQuery,
  mayReadReports,
  OverviewQuery,
  ProductsTableQuery,
  ReplenishmentTableQuery,
  StoresTableQuery,
  TrendQuery,
  type AlertsTable,
  type DashboardScope,
  type Overview,
  type ProductsTable,
  type ReplenishmentTable,
  type StoresTable,
  type Trend,
} from '@bazaar/shared';
import { currentUser } from '../auth/require-user';
import type { Queryable } from '../db/database';
import { AppError } from '../http/errors';
import { validateQuery } from '../http/validate';
import { readAlertsTable, readOverview, readProductsTable, readReplenishmentTable, readScope, readStoresTable, readTrend, type Scope } from './dashboard-repository';
import type { FreshReads } from './fresh-reads';

/**
 * The stores a dashboard request covers: those it names, else all the
 * caller's (every store for an admin), narrowed to a region. Naming a store
 * outside one's own is refused, not silently dropped: a manager must not
 * learn even that it had no sales.
 */
function scopeOf(res: Response, query: { storeIds?: string[] | undefined; region?: string | undefined }): Scope {
  const user = currentUser(res);
  const storeIds = query.storeIds ?? (user.role === 'admin' ? null : user.storeIds);
  if (user.role === 'shopkeeper' || (storeIds ?? []).some((id) => !mayReadReports(user, id))) {
    throw new AppError('forbidden', 'Dashboards are for the owners and managers of these stores.');
  }
  return { storeIds: storeIds ? [...storeIds].sort() : null, region: query.region ?? null };
}

/**
 * `GET /api/dashboard/*`: figures read through `reads` (the replica once it
 * has replayed what the workers announced; cached until they announce more,
 * REPORT_CACHE_TTL_MS at most). An entry is keyed by the route, the stores and
 * the query, not the user: two managers of the same stores share it. The
 * `x-cache` header says whether it came from the cache.
 */
export function dashboardRoutes(reads: FreshReads): Router {
  const router = Router();
  const answer = async <T>(res: Response, route: string, scope: Scope, query: object, work: (q: Queryable) => Promise<T>) => {
    const key = `${route}:${createHash('sha256').update(JSON.stringify([scope, query])).digest('base64url')}`;
    const { value, cached } = await reads.read(key, work);
    res.setHeader('x-cache', cached ? 'hit' : 'miss');
    res.json(value);
  };

  router.get('/scope', async (_req, res) => {
    const scope = scopeOf(res, {});
    await answer<DashboardScope>(res, 'scope', scope, {}, (q) => readScope(q, scope.storeIds));
  });
  router.get('/overview', validateQuery(OverviewQuery), async (_req, res) => {
    const query: OverviewQuery = res.locals.query;
    const scope = scopeOf(res, query);
    await answer<Overview>(res, 'overview', scope, { period: query.period }, (q) => readOverview(q, scope, query.period));
  });
  router.get('/trend', validateQuery(TrendQuery), async (_req, res) => {
    const query: TrendQuery = res.locals.query;
    const scope = scopeOf(res, query);
    await answer<Trend>(res, 'trend', scope, query, (q) => readTrend(q, scope, query));
  });
  router.get('/stores', validateQuery(StoresTableQuery), async (_req, res) => {
    const query: StoresTableQuery = res.locals.query;
    const scope = scopeOf(res, query);
    await answer<StoresTable>(res, 'stores', scope, query, (q) => readStoresTable(q, scope, query));
  });
  router.get('/products', validateQuery(ProductsTableQuery), async (_req, res) => {
    const query: ProductsTableQuery = res.locals.query;
    const scope = scopeOf(res, query);
    await answer<ProductsTable>(res, 'products', scope, query, (q) => readProductsTable(q, scope, query));
  });
  router.get('/alerts', validateQuery(AlertsTableQuery), async (_req, res) => {
    const query: AlertsTableQuery = res.locals.query;
    const scope = scopeOf(res, query);
    await answer<AlertsTable>(res, 'alerts', scope, query, (q) => readAlertsTable(q, scope, query));
  });
  router.get('/replenishment', validateQuery(ReplenishmentTableQuery), async (_req, res) => {
    const query: ReplenishmentTableQuery = res.locals.query;
    const scope = scopeOf(res, query);
    await answer<ReplenishmentTable>(res, 'replenishment', scope, query, (q) => readReplenishmentTable(q, scope, query));
  });
  return router;
}
