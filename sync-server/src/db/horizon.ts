import { PROJECTION_APPLICATION_NAME } from '@bazaar/workers';
import type { Queryable } from './database';

/**
 * Checkpointed reads (pulls, and the relay reading the log). Rows are ordered
 * by (txid, key), and a read returns only rows written by transactions older
 * than every write transaction still running in this database: a row that
 * commits late always has a txid at or above that horizon, so a checkpoint
 * never moves past it (SPEC.md P3). Ordering by a timestamp or a sequence
 * would skip such rows.
 */
export async function visibilityHorizon(db: Queryable, writtenByWorkers: boolean): Promise<string> {
  // First the next xid to be assigned: anything that starts writing later is above it.
  const { rows: next } = await db.query<{ xmax: string; xmin: string; standby: boolean }>(
    `SELECT pg_snapshot_xmax(s)::text AS xmax, pg_snapshot_xmin(s)::text AS xmin, pg_is_in_recovery() AS standby
       FROM pg_current_snapshot() AS s`,
  );
  const { xmax, xmin, standby } = next[0]!;
  // A hot standby's pg_stat_activity shows none of the primary's writers. Its
  // snapshot does know them (every xid below the newest one replayed counts
  // as running until its commit or abort is replayed), so its xmin is the
  // horizon: cluster-wide, so a long transaction in another database holds
  // pulls from a replica back, which the primary's own reads avoid below.
  if (standby) return xmin;
  // Then the writers still running in THIS database (a long transaction in
  // another database of the cluster must not stall pulls), but not the
  // workers' unless they write what is pulled (alerts): otherwise they write
  // only projections no device pulls, and their batches must not hold pulls back.
  // A writer is found by the lock every transaction holds on its own xid, and
  // matched to its session by pid: reading backend_xid from pg_stat_activity
  // missed an open writer twice in full suite runs (never at will), letting a
  // checkpoint move past its row. The xid has 32 bits: widen it against
  // xmax, which is at most 2^31 ahead of it.
  const { rows: running } = await db.query<{ oldest: string | null }>(
    `SELECT min($1::bigint - ((($1::bigint & 4294967295) - l.transactionid::text::bigint + 4294967296) % 4294967296))::text AS oldest
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
        AND a.datname = current_database() AND ($3 OR a.application_name IS DISTINCT FROM $2)`,
    [xmax, PROJECTION_APPLICATION_NAME, writtenByWorkers],
  );
  const oldest = running[0]?.oldest ?? null;
  return oldest !== null && BigInt(oldest) < BigInt(xmax) ? oldest : xmax;
}
