import { z } from 'zod';
import { startDeliveries } from './alerts/webhook';
import { redisAnnouncer } from './runtime/announce';
import { pruneProcessedEvents } from './runtime/processed';
import { serveHealth } from './runtime/health';
import { projectionPool } from './runtime/pool';
import { runKafkaWorker, type RunningWorker } from './runtime/kafka-runner';
import { tickAll, TICK_MS } from './runtime/worker';
import { workers } from './workers';

/**
 * `npm run worker -- <kind>|all`: runs worker kinds as Kafka consumer groups
 * against the database the server writes. One process may run all kinds
 * (small deployments) or one each (scale each on its own).
 */
const Env = z.object({
  DATABASE_URL: z.string().url(),
  KAFKA_BROKERS: z.string().min(1),
  KAFKA_CLIENT_ID: z.string().default('bazaar-workers'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(4),
  /** How long a killed worker's partitions wait before the group hands them to another (kafka-runner.ts). */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  /** Where alerts are POSTed when they open and clear (with ALERT_WEBHOOK_SECRET to sign them); none by default. */
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Where the servers' event streams listen: alerts that open and clear reach open screens through it. */
  REDIS_URL: z.string().url().optional(),
  REDIS_KEY_PREFIX: z.string().default(''),
  /** /healthz, /readyz (with consumer lag) and /metrics. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
});

const log = (msg: string, fields: object = {}) => console.log(JSON.stringify({ at: new Date().toISOString(), msg, ...fields }));

const arg = process.argv[2] ?? 'all';
const kinds = arg === 'all' ? Object.keys(workers) : arg.split(',');
const unknown = kinds.filter((k) => !(k in workers));
if (unknown.length > 0) {
  console.error(`unknown worker ${unknown.join(', ')}; known: ${Object.keys(workers).join(', ')}, all`);
  process.exit(2);
}
const env = Env.refine((e) => !e.ALERT_WEBHOOK_URL || e.ALERT_WEBHOOK_SECRET, { message: 'ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URL' }).parse(process.env);
const pool = projectionPool(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
const announcer = env.REDIS_URL ? redisAnnouncer(env.REDIS_URL, env.REDIS_KEY_PREFIX, log) : null;
const announce = announcer?.announce ?? (() => {});

const running: RunningWorker[] = [];
for (const kind of kinds) {
  running.push(
    await runKafkaWorker(workers[kind]!, {
      brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      clientId: `${env.KAFKA_CLIENT_ID}-${kind}`,
      prefix: env.KAFKA_TOPIC_PREFIX,
      pool,
      log,
      announce,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
    }),
  );
  log('worker started', { kind });
}

// Timers (a store gone silent) run in every process; what they open is one alert however many run.
const ticking = setInterval(() => {
  tickAll(pool, kinds.map((k) => workers[k]!), new Date(), announce).catch((err) => log('worker tick failed', { error: String(err) }));
}, TICK_MS);

// Processed event ids outlive what Kafka can deliver again by a day, then go (hourly, and once now; idempotent).
const prune = () => void pruneProcessedEvents(pool).catch((err) => log('pruning processed events failed', { error: String(err) }));
prune();
const pruning = setInterval(prune, 3_600_000);

const stopDeliveries =
  env.ALERT_WEBHOOK_URL && kinds.includes('alerts') ? startDeliveries(pool, { url: env.ALERT_WEBHOOK_URL, secret: env.ALERT_WEBHOOK_SECRET! }, log) : () => {};

const health = await serveHealth(env.HEALTH_PORT, running);
log('health and metrics', { port: env.HEALTH_PORT });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(ticking);
    clearInterval(pruning);
    stopDeliveries();
    health.close();
    void Promise.all(running.map((w) => w.stop()))
      .then(() => pool.end())
      .then(() => announcer?.close())
      .finally(() => process.exit(0));
  });
}
