import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
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
  /** One read: the query validated, the scope checked, the answer from the cache or `work`. */
  const route = <Query extends { storeIds?: string[] | undefined; region?: string | undefined }, Answer>(
    name: string,
    schema: z.ZodType<Query, unknown>,
    work: (q: Queryable, scope: Scope, query: Query) => Promise<Answer>,
  ) =>
    router.get(`/${name}`, validateQuery(schema), async (_req, res) => {
      const query: Query = res.locals.query;
      const scope = scopeOf(res, query);
      const key = `${name}:${createHash('sha256').update(JSON.stringify([scope, query])).digest('base64url')}`;
      const { value, cached } = await reads.read(key, (q) => work(q, scope, query));
      res.setHeader('x-cache', cached ? 'hit' : 'miss');
      res.json(value);
    });

  route('scope', z.strictObject({}), (q, scope): Promise<DashboardScope> => readScope(q, scope.storeIds));
  route('overview', OverviewQuery, (q, scope, query): Promise<Overview> => readOverview(q, scope, query.period));
  route('trend', TrendQuery, (q, scope, query): Promise<Trend> => readTrend(q, scope, query));
  route('stores', StoresTableQuery, (q, scope, query): Promise<StoresTable> => readStoresTable(q, scope, query));
  route('products', ProductsTableQuery, (q, scope, query): Promise<ProductsTable> => readProductsTable(q, scope, query));
  route('alerts', AlertsTableQuery, (q, scope, query): Promise<AlertsTable> => readAlertsTable(q, scope, query));
  route('replenishment', ReplenishmentTableQuery, (q, scope, query): Promise<ReplenishmentTable> => readReplenishmentTable(q, scope, query));
  return router;
}
