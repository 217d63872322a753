import pg from 'pg';

// numeric and bigint come back as strings by default; our quantities and
// money fit a double exactly (3 and 2 decimals), so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface Database {
  /** The primary: every write, and reads that must see them. */
  pool: pg.Pool;
  /** A replica when configured, else the primary. */
  readPool: pg.Pool;
  /**
   * Runs `work` in one transaction, retrying it when PostgreSQL reports a
   * serialization failure, a deadlock, or a unique violation caused by a
   * concurrent writer of the same key (the retry then sees that row).
   */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

/**
 * A client's connection error (PostgreSQL restarted or stopped) must not crash
 * the process. The pool handles idle clients ('error' on the pool); a client
 * checked out and between two queries (a relay waiting on its publisher, a
 * transaction waiting on JavaScript) has no listener of its own, so every
 * client gets one when it connects. The next query on it fails and says why.
 */
export function guardClientErrors(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export function createDatabase(options: { url: string; readUrl?: string | undefined; poolSize: number }): Database {
  // No JIT: the API's statements are short, and compiling one took longer (30-40 ms) than a dashboard's whole read.
  const session = { max: options.poolSize, options: '-c jit=off' };
  const pool = new pg.Pool({ connectionString: options.url, ...session });
  const readPool = options.readUrl ? new pg.Pool({ connectionString: options.readUrl, ...session }) : pool;
  for (const p of new Set([pool, readPool])) guardClientErrors(p);

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        const code = (err as { code?: string }).code;
        if (attempt >= MAX_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      } finally {
        client.release();
      }
    }
  }

  return {
    pool,
    readPool,
    transaction,
    async close() {
      await pool.end();
      if (readPool !== pool) await readPool.end();
    },
  };
}
