import type pg from 'pg';
import type { ReportsChange } from '@bazaar/shared';
import type { Database, Queryable } from '../db/database';
import type { ReportCache } from './report-cache';

/** How long an entry lives at most, should the news that replaces it be lost (Redis away at that moment). */
export const REPORT_CACHE_TTL_MS = 30_000;
/** How long a read waits for the replica to replay what the workers announced, before it asks the primary. */
export const REPLICA_WAIT_MS = 1_000;
const REPLICA_POLL_MS = 25;

/** A WAL position (`16/B374D848`) as a number that orders like it. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/**
 * One connection's queries in turn: a repository may start several at once,
 * and pg queues them on one client only with a deprecation warning. One
 * connection, because the replica it checked may not be the one another
 * connection reaches (a read service spreads connections over replicas).
 */
function oneAtATime(client: pg.PoolClient): Queryable {
  let last: Promise<unknown> = Promise.resolve();
  const query = (...args: Parameters<pg.PoolClient['query']>) => {
    const next = last.then(() => (client.query as (...a: unknown[]) => Promise<unknown>)(...args));
    last = next.catch(() => {});
    return next;
  };
  return { query } as unknown as Queryable;
}

/** A cached read: its value, and the WAL position it was read at (as a decimal, since JSON has no bigint). */
interface Entry {
  lsn: string | null;
  value: unknown;
}

export interface FreshReads {
  /** Hears the workers' news (the change bus): figures older than its position are stale from now on. */
  noteChange(change: ReportsChange): void;
  /**
   * The figures `key` names: from the cache when they were read at or after
   * every position announced so far, else read by `work` from the replica
   * once it has replayed that far (the primary if it lags by more than
   * REPLICA_WAIT_MS), then cached.
   */
  read<T>(key: string, work: (q: Queryable) => Promise<T>): Promise<{ value: T; cached: boolean }>;
}

/**
 * Dashboards read what the workers wrote on the primary. Their announcement
 * names the primary's WAL position after the commit; a replica that has
 * replayed to it shows the change, and so does any entry read from there.
 * Without it, a refetch prompted by the announcement could read a replica a
 * few milliseconds behind and cache the old figures as new.
 */
export function freshReads(db: Database, cache: ReportCache): FreshReads {
  // The newest position announced to this instance; null before any (or embedded, where there is none).
  let wanted: bigint | null = null;
  const replica = db.readPool !== db.pool;

  // What the server has replayed (a standby) or written (a primary, should the read URL name one).
  const positionOf = async (client: Queryable): Promise<bigint | null> => {
    const sql = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn`;
    const { rows } = await client.query<{ lsn: string | null }>(sql).catch(() => ({ rows: [] as { lsn: string | null }[] }));
    const lsn = rows[0]?.lsn;
    return lsn ? lsnValue(lsn) : null;
  };

  /** A connection that sees everything announced: the replica once it has caught up, else the primary. */
  const freshClient = async (): Promise<{ client: pg.PoolClient; lsn: bigint | null }> => {
    if (replica) {
      const client = await db.readPool.connect();
      const deadline = Date.now() + REPLICA_WAIT_MS;
      for (;;) {
        const lsn = await positionOf(client);
        if (wanted === null || (lsn !== null && lsn >= wanted)) return { client, lsn };
        if (Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, REPLICA_POLL_MS));
      }
      client.release();
    }
    const client = await db.pool.connect();
    return { client, lsn: await positionOf(client) };
  };

  return {
    noteChange(change) {
      if (change.lsn === null) {
        void cache.clear();
        return;
      }
      const lsn = lsnValue(change.lsn);
      if (wanted === null || lsn > wanted) wanted = lsn;
    },
    async read<T>(key: string, work: (q: Queryable) => Promise<T>) {
      const hit = await cache.get(key);
      if (hit) {
        const entry = JSON.parse(hit) as Entry;
        if (wanted === null || (entry.lsn !== null && BigInt(entry.lsn) >= wanted)) return { value: entry.value as T, cached: true };
      }
      const { client, lsn } = await freshClient();
      let value: T;
      try {
        value = await work(oneAtATime(client));
      } finally {
        client.release();
      }
      const entry: Entry = { lsn: lsn === null ? null : lsn.toString(), value };
      await cache.set(key, JSON.stringify(entry), REPORT_CACHE_TTL_MS);
      return { value, cached: false };
    },
  };
}
