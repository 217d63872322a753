import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The real services tests use, at the addresses `npm test` makes sure are
 * running. Override with TEST_DATABASE_URL, TEST_REDIS_URL, TEST_KAFKA_BROKERS.
 */
export const services = {
  postgres: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafka: process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
};

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test file; the server migrates it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `bazaar_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: services.postgres });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(services.postgres);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: services.postgres });
      await client.connect();
      try {
        // pg's pool.end() resolves before its connections have finished closing.
        // Forcing the drop at once would kill them mid-close, and their error
        // would surface in whatever test runs next: give them a moment first.
        for (let attempt = 0; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}${attempt < 40 ? '' : ' WITH (FORCE)'}`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006' || attempt >= 40) throw err;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        await client.end();
      }
    },
  };
}
