import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { inProcessDelivery, inTransaction, projectionPool, pruneProcessedEvents, reportsChanged, startDeliveries, tickAll, TICK_MS, workers, type Announce } from '@bazaar/workers';
import pg from 'pg';
import { isReportsChange } from '@bazaar/shared';
import { createMemoryAttemptGuard, createRedisAttemptGuard, type AttemptGuard } from './auth/attempt-guard';
import { createMemoryRevocationStore, createRedisRevocationStore, type RevocationStore } from './auth/revocation';
import { pruneRefreshTokens } from './auth/sessions-repository';
import { createTokenService } from './auth/tokens';
import { keyRing, type Config } from './config';
import { createDatabase, guardClientErrors, type Database } from './db/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded';
import { migrate } from './db/migrate';
import { guardRedis } from './redis/breaker';
import { createApp, limitsPerMinute } from './http/app';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './http/rate-limit';
import { createMemoryChangeBus, createRedisChangeBus, STARTUP_WAIT_MS, type ChangeBus } from './live/change-bus';
import { createLogger, type Logger } from './log';
import { createInProcessPublisher, createKafkaPublisher, type EventPublisher } from './outbox/publisher';
import { OutboxRelay } from './outbox/relay';
import { freshReads } from './reports/fresh-reads';
import { createMemoryReportCache, createRedisReportCache, type ReportCache } from './reports/report-cache';
import { DEMO_PASSWORD, demoUsers, seedDemo } from './seed/seed-demo';

const SHUTDOWN_GRACE_MS = 10_000;
const MAX_HEADER_BYTES = 64 * 1024;
const PRUNE_EVERY_MS = 60 * 60_000;
const PRUNE_BATCH = 5000;

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  relay: OutboxRelay;
  bus: ChangeBus;
  stop(): Promise<void>;
}

/** Starts everything the configuration asks for; `stop()` undoes it in reverse. */
export async function startServer(config: Config, log: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningServer> {
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.DATABASE_URL;
    let embedded: EmbeddedPostgres | null = null;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(config.DATA_DIR);
      stops.push(() => embedded!.stop());
      databaseUrl = embedded.url;
    }
    const db = createDatabase({
      url: databaseUrl,
      readUrl: config.DATABASE_READ_URL,
      // PGlite is one session: a second connection would interleave with the first.
      poolSize: embedded ? 1 : config.DATABASE_POOL_SIZE,
    });
    stops.push(() => db.close());
    const applied = await migrate(db.pool);
    if (applied.length > 0) log.info('migrated', { applied });

    if (config.SEED_DEMO || embedded) {
      const { created } = await seedDemo(db);
      if (created) log.info('demo data loaded', { users: demoUsers.map((u) => u.username), password: DEMO_PASSWORD });
    }

    // Redis when configured, else the embedded mode's in-memory stand-ins.
    const ttl = config.ACCESS_TOKEN_TTL_SECONDS;
    let redis: Redis | null = null;
    let bus: ChangeBus;
    let revocations: RevocationStore;
    let limiter: RateLimiter;
    let attempts: AttemptGuard;
    let reportCache: ReportCache;
    if (config.REDIS_URL) {
      const warn = (err: unknown) => log.warn('redis', { error: String(err) });
      // One try per command and a bounded queue: a request must fail fast while Redis is away, not hang.
      redis = new Redis(config.REDIS_URL, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 2000,
        keyPrefix: config.REDIS_KEY_PREFIX,
      });
      redis.on('error', () => {});
      // Not awaited: the server starts while Redis is down; requests that need
      // it fail closed with 503 until ioredis has reconnected by itself.
      const connecting = redis.connect().catch(() => {});
      stops.push(async () => redis!.disconnect());
      bus = await createRedisChangeBus(config.REDIS_URL, warn, config.REDIS_KEY_PREFIX);
      await Promise.race([connecting, new Promise((r) => setTimeout(r, STARTUP_WAIT_MS).unref())]);
      const guarded = guardRedis(redis);
      revocations = createRedisRevocationStore(guarded, ttl);
      limiter = createRedisRateLimiter(guarded, warn);
      attempts = createRedisAttemptGuard(guarded, warn);
      reportCache = createRedisReportCache(guarded, warn);
    } else {
      bus = createMemoryChangeBus();
      revocations = createMemoryRevocationStore(ttl);
      limiter = createMemoryRateLimiter();
      attempts = createMemoryAttemptGuard();
      reportCache = createMemoryReportCache();
    }
    stops.push(() => bus.close());
    const reports = freshReads(db, reportCache);
    bus.subscribe((message) => {
      if (isReportsChange(message)) reports.noteChange(message);
    });

    // No Kafka: the workers run here; on PostgreSQL with sessions of their own (see inProcessWorkers).
    const workersPool = config.KAFKA_BROKERS || embedded ? null : projectionPool(databaseUrl, 2);
    const announce: Announce = (messages) => {
      for (const message of messages) bus.publish(message).catch((err) => log.warn('change bus publish failed', { error: String(err) }));
    };
    if (workersPool) stops.push(() => workersPool.end());
    const publisher: EventPublisher = config.KAFKA_BROKERS
      ? createKafkaPublisher({
          brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
          clientId: config.KAFKA_CLIENT_ID,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
        })
      : inProcessWorkers(log, workersPool, announce);
    stops.push(() => publisher.close());
    // The relay gets a connection of its own, so a queue of pushes never starves it.
    const relayPool = embedded ? db.pool : guardClientErrors(new pg.Pool({ connectionString: databaseUrl, max: 1 }));
    if (relayPool !== db.pool) stops.push(() => relayPool.end());
    const relay = new OutboxRelay(relayPool, publisher, {
      pollMs: config.OUTBOX_POLL_MS,
      onError: (err) => log.warn('outbox relay: publish failed, events wait in the outbox', { error: String(err) }),
      onDeadLetter: (events) => log.warn('outbox relay: events refused for good by the broker, moved to outbox_dead_letters', { events }),
    });
    relay.start();
    stops.push(() => relay.stop());
    if (!config.KAFKA_BROKERS) {
      // The in-process workers' timers (a store gone silent).
      const ticking = setInterval(() => {
        tickAll(workersPool ?? db.pool, Object.values(workers), new Date(), announce).catch((err) => log.warn('worker tick failed', { error: String(err) }));
      }, TICK_MS).unref();
      stops.push(async () => clearInterval(ticking));
      if (config.ALERT_WEBHOOK_URL) {
        const webhook = { url: config.ALERT_WEBHOOK_URL, secret: config.ALERT_WEBHOOK_SECRET! };
        const stop = startDeliveries(workersPool ?? db.pool, webhook, (msg, fields) => log.warn(msg, fields));
        stops.push(async () => stop());
      }
    }

    // Expired refresh tokens go hourly (and once now), in batches so no delete holds locks for long;
    // every instance may, the delete is idempotent. So do the in-process workers' old processed event ids.
    const prune = () =>
      void (async () => {
        for (let round = 0; round < 100 && (await pruneRefreshTokens(db.pool, PRUNE_BATCH)) === PRUNE_BATCH; round++);
        if (!config.KAFKA_BROKERS) await pruneProcessedEvents(workersPool ?? db.pool);
      })().catch((err) => log.warn('pruning refresh tokens or processed events failed', { error: String(err) }));
    prune();
    const pruning = setInterval(prune, PRUNE_EVERY_MS).unref();
    stops.push(async () => clearInterval(pruning));

    const generated = config.embedded && !config.JWT_SECRET && !config.JWT_KEYS ? await embeddedSecret(config.DATA_DIR) : undefined;
    const tokens = createTokenService(keyRing(config, generated), ttl);
    const shutdown = new AbortController();
    // Every open event stream listens for it.
    setMaxListeners(0, shutdown.signal);
    const app = createApp({
      shutdown: shutdown.signal,
      db,
      tokens,
      revocations,
      limiter,
      attempts,
      limits: limitsPerMinute(config.RATE_LIMIT_LOGIN_PER_MIN, config.RATE_LIMIT_PUSH_PER_MIN, config.RATE_LIMIT_READ_PER_MIN),
      corsOrigins: config.CORS_ORIGINS,
      trustProxy: config.TRUST_PROXY,
      bodyLimit: config.BODY_LIMIT_BYTES,
      bus,
      reports,
      relay,
      log,
      webDist: config.WEB_DIST,
      ready: async () => {
        const check = (probe: Promise<unknown>) => probe.then(() => 'ok' as const, () => 'unavailable' as const);
        return {
          postgres: await check(db.pool.query('SELECT 1')),
          ...(redis ? { redis: await check(redis.ping()) } : {}),
        };
      },
    });

    // Access tokens carry the user's stores: a manager of a thousand stores sends some 50 KB of them
    // (in the Authorization header, or the event stream's URL), past Node's 16 KB default.
    // Idle keep-alive connections outlive the ingress's and clients' (60 s is common): a server that
    // closes first races a request sent on the closing socket, which the client sees as a reset.
    const http = createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES, keepAliveTimeout: 65_000, headersTimeout: 66_000 }, app);
    if (config.HOST) http.listen(config.PORT, config.HOST);
    else http.listen(config.PORT);
    await new Promise<void>((resolve, reject) => http.once('listening', resolve).once('error', reject));
    // Graceful stop: refuse new connections, end the event streams (clients
    // reconnect to another replica), let requests in flight finish, and only
    // after a grace period cut what is left.
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          shutdown.abort();
          http.close(() => resolve());
          http.closeIdleConnections();
          setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
        }),
    );
    const port = (http.address() as AddressInfo).port;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      db,
      relay,
      bus,
      stop: () => runStops(stops),
    };
  } catch (err) {
    await runStops(stops);
    throw err;
  }
}

/**
 * No Kafka: the workers run in this process, fed by the relay
 * (workers/src/runtime/in-process.ts). On PostgreSQL they apply each batch in
 * a transaction of their own, on sessions named as projections, that commits
 * before the relay marks the batch published (a batch published again after a
 * crash is recognised by its event ids): inside the relay's transaction they
 * would hold back every device's pulls while they work (SPEC.md P3). Embedded, PGlite is one session, so
 * they use the relay's transaction, and nothing runs beside it to hold back.
 * What they changed that devices pull is announced once it is written: on
 * PostgreSQL after their commit; embedded just before the relay's, which is
 * as good, since a pull it wakes waits for the pool's one connection.
 */
function inProcessWorkers(log: Logger, pool: pg.Pool | null, announce: Announce): EventPublisher {
  const publisher = createInProcessPublisher();
  const deliver = inProcessDelivery(Object.values(workers), (worker, error) => log.warn('worker: event set aside in worker_dead_letters', { worker, error }));
  publisher.subscribe(async (records, relayTx) => {
    const changes = pool ? await inTransaction(pool, (tx) => deliver(records, tx)) : await deliver(records, relayTx);
    const stores = records.flatMap((r) => {
      const { storeId } = r.payload as { storeId?: string };
      return storeId ? [storeId] : [];
    });
    // Embedded there is no replica to wait for, and a query here would run inside the relay's transaction.
    const reports = pool ? await reportsChanged(pool, stores) : [{ reports: [...new Set(stores)], lsn: null }];
    announce([...changes, ...reports]);
  });
  return publisher;
}

async function runStops(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
}

/** The embedded mode keeps a generated secret beside its data, so tokens survive a restart. */
async function embeddedSecret(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
