/**
 * The stack the browser tests run against: the sync server on the real
 * PostgreSQL, Redis and Kafka that `npm test` starts, in a database of its
 * own made fresh for this run and loaded with the demo data.
 *
 * Two instances share that database, as replicas behind a load balancer
 * would: the main one on E2E_PORT, and one on E2E_PORT + 1 whose access
 * tokens live the shortest time the server allows, for the journey where a
 * token expires while the device is offline, and one on E2E_PORT + 2 that
 * reads bodies of at most 4 KiB, for pushes larger than the server takes.
 * The event workers run beside them as Kafka consumer groups, as their own
 * Deployments would, and announce alerts through Redis.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../sync-server/src/config';
import { startServer, type RunningServer } from '../sync-server/src/server';
import { projectionPool, redisAnnouncer, runKafkaWorker, workers, type RunningWorker } from '../workers/src/index';

const port = Number(process.env.E2E_PORT ?? 8181);
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `bazaar_e2e_${Date.now()}`;

async function freshDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    // Earlier runs' databases are of no further use.
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'bazaar\\_e2e\\_%'`);
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

const databaseUrl = await freshDatabase();
const common = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
  KAFKA_TOPIC_PREFIX: `${name}.`,
  // The integration suites share this Redis (their attack tests slow down logins of 'owner'): keep apart.
  REDIS_KEY_PREFIX: `${name}:`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  SEED_DEMO: 'true',
  WEB_DIST: 'web/dist',
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
  // Every browser and API call of the suite comes from 127.0.0.1: one address, many "devices".
  RATE_LIMIT_LOGIN_PER_MIN: '1000',
};

const servers: RunningServer[] = [];
// One after the other: the second finds the database migrated and seeded.
servers.push(await startServer(loadConfig({ ...common, PORT: String(port) })));
servers.push(await startServer(loadConfig({ ...common, PORT: String(port + 1), ACCESS_TOKEN_TTL_SECONDS: '30' })));
servers.push(await startServer(loadConfig({ ...common, PORT: String(port + 2), BODY_LIMIT_BYTES: '4096' })));

const workersPool = projectionPool(databaseUrl, 4);
const announcer = redisAnnouncer(common.REDIS_URL, common.REDIS_KEY_PREFIX, () => {});
const running: RunningWorker[] = await Promise.all(
  Object.values(workers).map((worker) =>
    runKafkaWorker(worker, {
      brokers: common.KAFKA_BROKERS.split(','),
      clientId: `e2e-${worker.name}`,
      prefix: common.KAFKA_TOPIC_PREFIX,
      pool: workersPool,
      log: (msg, fields) => console.error(msg, fields ?? ''),
      announce: announcer.announce,
    }),
  ),
);
console.log(`e2e stack on ports ${port} to ${port + 2}, database ${name}, workers ${running.map((w) => w.name).join(', ')}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void Promise.all([...servers.map((s) => s.stop()), ...running.map((w) => w.stop())])
      .then(() => workersPool.end())
      .finally(() => process.exit(0));
  });
}
