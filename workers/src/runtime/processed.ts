import type pg from 'pg';

/**
 * How long a processed event id is kept: longer than Kafka keeps the event
 * (7 days, infra/k8s/kafka.ts) plus a day, so nothing that can still be
 * delivered again (a group reset to the earliest offset, a relay that died
 * before marking a batch published) finds its id gone.
 */
export const PROCESSED_KEEP_DAYS = 8;

/**
 * Deletes processed event ids older than `keepDays`, `batch` rows per
 * statement so no delete holds locks for long; answers how many went.
 * Idempotent: every worker process may run it.
 */
export async function pruneProcessedEvents(pool: Pick<pg.Pool, 'query'>, keepDays = PROCESSED_KEEP_DAYS, batch = 10_000, rounds = 100): Promise<number> {
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    const { rowCount } = await pool.query(
      `DELETE FROM processed_events WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM processed_events WHERE processed_at < now() - make_interval(days => $1) LIMIT $2))`,
      [keepDays, batch],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) break;
  }
  return total;
}
