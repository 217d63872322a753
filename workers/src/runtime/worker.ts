import type pg from 'pg';
import type { BazaarEvent, Topic } from '@bazaar/shared';

/** Enough of a pg client or pool to run statements: the runners pass a transaction's client. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

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
  apply(tx: Queryable, events: readonly BazaarEvent[]): Promise<void>;
  /** Work on a timer rather than on events (a store gone silent), run every TICK_MS in a transaction of its own. */
  tick?(tx: Queryable, now: Date): Promise<unknown>;
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

/** Runs every worker's `tick` once, each in its own transaction on `pool`. */
export async function tickAll(pool: Pick<pg.Pool, 'connect'>, workers: readonly Worker[], now = new Date()): Promise<void> {
  for (const worker of workers) {
    if (worker.tick) await inTransaction(pool, (tx) => worker.tick!(tx, now));
  }
}

/**
 * Exactly once in effect: records the events' ids as processed by `worker`
 * in the caller's transaction, and applies only those not recorded before
 * (a redelivery, or the same event twice in one batch, changes nothing).
 * Returns how many were new.
 */
export async function applyOnce(tx: Queryable, worker: Worker, events: readonly BazaarEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [worker.name, events.map((e) => e.eventId)],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  const once = events.filter((e) => fresh.delete(e.eventId));
  if (once.length > 0) await worker.apply(tx, once);
  return once.length;
}
