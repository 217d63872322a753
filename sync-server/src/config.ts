import { z } from 'zod';

/**
 * Everything the server reads from its environment, checked once at start.
 * With none of DATABASE_URL, REDIS_URL and KAFKA_BROKERS set the server runs
 * embedded: PGlite under DATA_DIR, events in process, cache in memory.
 */
const Env = z.object({
  /** HTTP port; 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Where the embedded database and its generated secret live. */
  DATA_DIR: z.string().default('./.data'),
  /** PostgreSQL for writes; absent means embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** A read replica for pulls and plain reads; defaults to DATABASE_URL. */
  DATABASE_READ_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Redis for revocation, rate limits, caching and live fan-out; absent means in memory. */
  REDIS_URL: z.string().url().optional(),
  /** Comma-separated Kafka brokers; absent means events are delivered in process. */
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_CLIENT_ID: z.string().default('bazaar-sync-server'),
  /** Prefix for every topic name, so tests and environments can share a broker. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** HMAC key for access tokens; required outside the embedded mode. */
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Load the demo stores, catalog and users into whatever database is configured. */
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  /** The built PWA to serve at /, when present. */
  WEB_DIST: z.string().default('../web/dist'),
  /** How often the outbox relay looks for unpublished events when nothing pokes it. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(500),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof Env> & { embedded: boolean };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const config = { ...parsed.data, embedded: parsed.data.DATABASE_URL === undefined };
  if (!config.embedded && config.JWT_SECRET === undefined) {
    throw new Error('invalid configuration: JWT_SECRET is required when DATABASE_URL is set');
  }
  return config;
}
