import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { authRoutes } from '../auth/auth-routes';
import { requireUser } from '../auth/require-user';
import type { TokenService } from '../auth/tokens';
import type { Database } from '../db/database';
import { stockRoutes } from '../inventory/stock-routes';
import type { ChangeBus } from '../live/change-bus';
import type { Logger } from '../log';
import type { OutboxRelay } from '../outbox/relay';
import { streamRoute } from '../sync/stream-route';
import { syncRoutes } from '../sync/sync-routes';
import { AppError, errorHandler } from './errors';
import { checkProtocolVersion } from './protocol-version';

export interface AppDeps {
  db: Database;
  tokens: TokenService;
  bus: ChangeBus;
  relay: OutboxRelay;
  log: Logger;
  /** Checks the dependencies /readyz reports on. */
  ready: () => Promise<void>;
  webDist?: string | undefined;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.ready();
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'error', reason: 'unavailable', message: (err as Error).message });
    }
  });

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(checkProtocolVersion);
  api.use('/auth', authRoutes(deps.db, deps.tokens));
  api.get('/sync/stream', requireUser(deps.tokens, { allowQueryToken: true }), streamRoute(deps.bus));
  api.use('/sync', requireUser(deps.tokens), syncRoutes({ db: deps.db, bus: deps.bus, relay: deps.relay, log: deps.log.error }));
  api.use('/stores', requireUser(deps.tokens), stockRoutes(deps.db));
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
