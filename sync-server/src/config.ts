import { isIP } from 'node:net';
import { z } from 'zod';
import { MAX_BODY_BYTES } from '@bazaar/shared';

/**
 * Everything the server reads from its environment, checked once at start.
 * With none of DATABASE_URL, REDIS_URL and KAFKA_BROKERS set the server runs
 * embedded: PGlite under DATA_DIR, events in process, cache in memory.
 */
const Env = z.object({
  /** HTTP port; 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * The address to listen on. Embedded it is 127.0.0.1 (the demo users'
   * password is published); with services, every interface, IPv4 and IPv6.
   */
  HOST: z.string().min(1).optional(),
  /** Where the embedded database and its generated secret live. */
  DATA_DIR: z.string().default('./.data'),
  /** PostgreSQL for writes; absent means embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** A read replica for pulls and plain reads; defaults to DATABASE_URL. */
  DATABASE_READ_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Redis for revocation, rate limits, caching and live fan-out; absent means in memory. */
  REDIS_URL: z.string().url().optional(),
  /**
   * Prepended to every Redis key and channel, so deployments (or test runs)
   * sharing one Redis never share revocations, rate limits or login slow-downs.
   */
  REDIS_KEY_PREFIX: z.string().max(64).default(''),
  /** Comma-separated Kafka brokers; absent means events are delivered in process. */
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_CLIENT_ID: z.string().default('bazaar-sync-server'),
  /** Prefix for every topic name, so tests and environments can share a broker. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** HMAC key for access tokens (key id `primary`); this or JWT_KEYS is required outside the embedded mode. */
  JWT_SECRET: z.string().min(32).optional(),
  /** Several keys for rotation, as JSON `{"<kid>": "<secret>"}`; all verify, JWT_ACTIVE_KID signs. */
  JWT_KEYS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = null;
      }
      const parsed = z.record(z.string().min(1), z.string().min(32)).safeParse(json);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'must be JSON of {"kid": "secret of 32+ characters"}' });
        return z.NEVER;
      }
      return parsed.data;
    }),
  JWT_ACTIVE_KID: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Load the demo stores, catalog and users into whatever database is configured. */
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  /** The built PWA to serve at /, when present. */
  WEB_DIST: z.string().default('../web/dist'),
  /** The largest request body read (413 above it); at most MAX_BODY_BYTES, which devices size their pushes under. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(MAX_BODY_BYTES).default(MAX_BODY_BYTES),
  /** How often the outbox relay looks for unpublished events when nothing pokes it. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(500),
  /** Origins other than our own allowed to call the API from a browser, comma-separated. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  /**
   * The proxies whose X-Forwarded-For is believed, comma-separated: addresses,
   * CIDR networks, or Express's names (loopback, linklocal, uniquelocal). Set it
   * to the ingress's pod network; none by default, so a client cannot choose
   * the address its rate limits are counted by.
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
      const bad = entries.filter((e) => !isProxyEntry(e));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `not an address, network or proxy name: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return entries;
    }),
  /**
   * With no Kafka the workers run in this process: where their alerts are
   * POSTed when they open and clear, signed with ALERT_WEBHOOK_SECRET
   * (workers/src/alerts/webhook.ts). With Kafka, the alerts worker's own
   * settings of the same names apply.
   */
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Logins a minute from one address; password changes as many per address and per user. */
  RATE_LIMIT_LOGIN_PER_MIN: z.coerce.number().int().min(1).default(20),
  /** Pushes a minute per user; one address may make ten times as many (shops behind one carrier NAT). */
  RATE_LIMIT_PUSH_PER_MIN: z.coerce.number().int().min(1).default(240),
  /** Reads and pulls a minute per user; ten times as many per address. */
  RATE_LIMIT_READ_PER_MIN: z.coerce.number().int().min(1).default(1200),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

export type Config = z.infer<typeof Env> & { embedded: boolean };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const embedded = parsed.data.DATABASE_URL === undefined;
  const config = { ...parsed.data, HOST: parsed.data.HOST ?? (embedded ? '127.0.0.1' : undefined), embedded };
  if (!config.embedded && config.JWT_SECRET === undefined && config.JWT_KEYS === undefined) {
    throw new Error('invalid configuration: JWT_SECRET or JWT_KEYS is required when DATABASE_URL is set');
  }
  if (config.ALERT_WEBHOOK_URL && !config.ALERT_WEBHOOK_SECRET) {
    throw new Error('invalid configuration: ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URL');
  }
  const kid = config.JWT_ACTIVE_KID;
  if (config.JWT_KEYS && config.JWT_SECRET === undefined && (kid === undefined || !(kid in config.JWT_KEYS))) {
    throw new Error('invalid configuration: JWT_ACTIVE_KID must name one of JWT_KEYS');
  }
  return config;
}

/**
 * The signing keys: JWT_KEYS by their ids, plus JWT_SECRET as `primary`.
 * Embedded, `generated` is the secret kept under DATA_DIR.
 */
export function keyRing(config: Config, generated?: string): { activeKid: string; keys: Record<string, string> } {
  const keys: Record<string, string> = { ...config.JWT_KEYS };
  const primary = config.JWT_SECRET ?? generated;
  if (primary) keys.primary = primary;
  return { activeKid: config.JWT_ACTIVE_KID ?? 'primary', keys };
}
