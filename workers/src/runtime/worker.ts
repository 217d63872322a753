import type pg from 'pg';
import type { BazaarEvent, LiveMessage, ReportsChange, StreamChange, Topic } from '@bazaar/shared';

/** Enough of a pg client or pool to run statements: the runners pass a transaction's client. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * What a batch changed that devices pull (a store's alerts): the runner
 * tells the live stream after its transaction commits, so open screens pull.
 */
export type Changes = readonly StreamChange[];
/**
 * Where the runners tell the live stream, after a commit, what devices pull
 * anew and whose reports changed: the server's change bus, or Redis from a
 * worker process.
 */
export type Announce = (messages: readonly LiveMessage[]) => void;

/**
 * A worker: a name (its Kafka consumer group, and its key in
 * processed_events), the topics it reads, and what it does with events.
 * `apply` runs inside a transaction the runner owns and is given only events
 * this worker has not applied before, in their order.
 */
export interface Worker {
  name: string;
  topics: readonly Topic[];
  /** The event a message of one of its topics carries; throws when it is not one (a poison message). */
  parse(topic: Topic, payload: unknown): BazaarEvent;
  apply(tx: Queryable, events: readonly BazaarEvent[]): Promise<Changes | void>;
  /** Work on a timer rather than on events (a store gone silent), run every TICK_MS in a transaction of its own. */
  tick?(tx: Queryable, now: Date): Promise<Changes | void>;
}

export const TICK_MS = 60_000;

/** Runs `work` in a transaction on a connection of `pool`: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pick<pg.Pool, 'connect'>, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Runs every worker's `tick` once, each in its own transaction on `pool`, announcing what each changed after its commit. */
export async function tickAll(pool: Pick<pg.Pool, 'connect' | 'query'>, workers: readonly Worker[], now = new Date(), announce: Announce = () => {}): Promise<void> {
  for (const worker of workers) {
    if (!worker.tick) continue;
    const changes = await inTransaction(pool, (tx) => worker.tick!(tx, now));
    if (changes && changes.length > 0) announce([...changes, ...(await reportsChanged(pool, changes.flatMap((c) => (c.storeId ? [c.storeId] : []))))]);
  }
}

/** One change per store, naming each collection once. */
export function mergeChanges(changes: Iterable<StreamChange>): StreamChange[] {
  const byStore = new Map<string | null, Set<StreamChange['collections'][number]>>();
  for (const change of changes) {
    const seen = byStore.get(change.storeId) ?? new Set();
    for (const c of change.collections) seen.add(c);
    byStore.set(change.storeId, seen);
  }
  return [...byStore].map(([storeId, collections]) => ({ storeId, collections: [...collections] }));
}

/**
 * Exactly once in effect: records the events' ids as processed by `worker`
 * in the caller's transaction, and applies only those not recorded before
 * (a redelivery, or the same event twice in one batch, changes nothing).
 * Answers how many were new and what they changed that devices pull.
 */
export async function applyOnce(tx: Queryable, worker: Worker, events: readonly BazaarEvent[]): Promise<{ applied: number; changes: Changes }> {
  if (events.length === 0) return { applied: 0, changes: [] };
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [worker.name, events.map((e) => e.eventId)],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  const once = events.filter((e) => fresh.delete(e.eventId));
  const changes = once.length > 0 ? await worker.apply(tx, once) : undefined;
  return { applied: once.length, changes: changes ?? [] };
}

/**
 * Called after a commit: the dashboards' news that these stores' figures
 * changed, with the primary's WAL position by then, which a server waits for
 * a replica to replay before it reads and caches them
 * (sync-server/src/reports/fresh-reads.ts). Without a position (PGlite, or
 * the query failed) a server drops what it cached in memory; entries in
 * Redis then live out their 30 s.
 */
export async function reportsChanged(pool: Queryable, storeIds: Iterable<string>): Promise<ReportsChange[]> {
  const reports = [...new Set(storeIds)];
  if (reports.length === 0) return [];
  const lsn = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn').then(
    ({ rows }) => rows[0]?.lsn ?? null,
    () => null,
  );
  return [{ reports, lsn }];
}
