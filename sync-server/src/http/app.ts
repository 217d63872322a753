import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { MAX_BODY_BYTES } from '@bazaar/shared';
import { authRoutes } from '../auth/auth-routes';
import { devicesRoutes } from '../auth/devices-routes';
import { staffRoutes } from '../auth/staff-routes';
import type { AttemptGuard } from '../auth/attempt-guard';
import { requireUser } from '../auth/require-user';
import type { RevocationStore } from '../auth/revocation';
import type { TokenService } from '../auth/tokens';
import { usersRoutes } from '../auth/users-routes';
import { catalogRoutes } from '../catalog/catalog-routes';
import { storeAdminRoutes } from '../stores/stores-routes';
import type { Database } from '../db/database';
import { stockRoutes } from '../inventory/stock-routes';
import { receiptsRoutes } from '../sync/receipts-routes';
import type { ChangeBus } from '../live/change-bus';
import type { Logger } from '../log';
import type { OutboxRelay } from '../outbox/relay';
import { dashboardRoutes } from '../reports/dashboard-routes';
import type { FreshReads } from '../reports/fresh-reads';
import { alertsRoutes, replenishmentRoutes, reportsRoutes } from '../reports/reports-routes';
import { streamRoute } from '../sync/stream-route';
import { syncRoutes } from '../sync/sync-routes';
import { AppError, errorBody, errorHandler } from './errors';
import { checkProtocolVersion } from './protocol-version';
import { rateLimit, type RateLimiter, type Rule } from './rate-limit';
import { cors, securityHeaders } from './security';

export interface Limits {
  login: Rule;
  refresh: Rule;
  /** Password changes per signed-in user, as many as logins per address (which also applies). */
  password: Rule;
  push: { perIp: Rule; perUser: Rule };
  read: { perIp: Rule; perUser: Rule };
}

export function limitsPerMinute(login: number, push: number, read: number): Limits {
  const minute = (limit: number): Rule => ({ limit, windowMs: 60_000 });
  return {
    login: minute(login),
    refresh: minute(login * 3),
    password: minute(login),
    push: { perIp: minute(push * 10), perUser: minute(push) },
    read: { perIp: minute(read * 10), perUser: minute(read) },
  };
}

export interface AppDeps {
  /** Aborted when the server stops: long-lived responses end. */
  shutdown: AbortSignal;
  db: Database;
  tokens: TokenService;
  revocations: RevocationStore;
  limiter: RateLimiter;
  attempts: AttemptGuard;
  limits: Limits;
  bus: ChangeBus;
  /** The dashboards' reads: fresh from the replica, cached. */
  reports: FreshReads;
  relay: OutboxRelay;
  log: Logger;
  corsOrigins: readonly string[];
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY); empty: none, the socket's address counts. */
  trustProxy: readonly string[];
  /** Bytes of request body read at most (413 above). */
  bodyLimit?: number;
  /**
   * The dependencies a request may need, each ok or not. Kafka is not one of
   * them: pushes are taken while it is away (the outbox holds the events).
   */
  ready: () => Promise<Record<string, 'ok' | 'unavailable'>>;
  webDist?: string | undefined;
}

/**
 * The gateway and the routes behind it. Order matters: security headers and
 * CORS first, then per route: authentication (token and revocation), rate
 * limit, body validation, permission, handler.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The client's address (rate limits, audit) comes from X-Forwarded-For only when the ingress sent it.
  app.set('trust proxy', deps.trustProxy.length > 0 ? [...deps.trustProxy] : false);
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Says which dependency is missing, never its raw error (which can name hosts and users).
  app.get('/readyz', async (_req, res) => {
    const dependencies = await deps.ready();
    const missing = Object.keys(dependencies).filter((d) => dependencies[d] !== 'ok');
    if (missing.length === 0) {
      res.json({ status: 'ready', dependencies });
      return;
    }
    res.status(503).set('retry-after', '5').json({ ...errorBody('unavailable', `Not ready: ${missing.join(', ')} unavailable.`), dependencies });
  });

  const authenticated = requireUser(deps.tokens, deps.revocations);
  const reads = rateLimit(deps.limiter, 'read', deps.limits.read);
  const pushes = rateLimit(deps.limiter, 'push', deps.limits.push);

  const api = express.Router();
  api.use(cors(deps.corsOrigins));
  api.use(express.json({ limit: deps.bodyLimit ?? MAX_BODY_BYTES }));
  api.use(checkProtocolVersion);
  api.use(
    '/auth',
    authRoutes({ ...deps, requireUser: authenticated, limits: deps.limits }),
  );
  api.get('/sync/stream', requireUser(deps.tokens, deps.revocations, { allowQueryToken: true }), reads, streamRoute(deps.bus, deps.revocations, deps.shutdown));
  api.use('/sync/operations/push', authenticated, pushes);
  api.use('/sync/resolutions/push', authenticated, pushes);
  api.use('/sync', authenticated, reads, syncRoutes({ db: deps.db, bus: deps.bus, relay: deps.relay, log: deps.log.error }));
  api.use('/stores', authenticated, reads, stockRoutes(deps.db), receiptsRoutes(deps.db), devicesRoutes(deps), staffRoutes(deps.db), storeAdminRoutes(deps));
  api.use('/users', authenticated, reads, usersRoutes(deps));
  api.use('/catalog', authenticated, reads, catalogRoutes(deps.db, deps.bus, deps.log.error));
  api.use('/reports', authenticated, reads, reportsRoutes(deps.db));
  api.use('/alerts', authenticated, reads, alertsRoutes(deps.db));
  api.use('/replenishment', authenticated, reads, replenishmentRoutes(deps.db));
  api.use('/dashboard', authenticated, reads, dashboardRoutes(deps.reports));
  api.use(() => {
    throw new AppError('not_found', 'No such API route.');
  });
  app.use('/api', api);

  if (deps.webDist && existsSync(path.join(deps.webDist, 'index.html'))) {
    const dist = path.resolve(deps.webDist);
    app.use(express.static(dist, { index: 'index.html' }));
    // Client-side routes: every other GET gets the app shell.
    app.get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }

  app.use(errorHandler((msg, err) => deps.log.error(msg, err)));
  return app;
}
