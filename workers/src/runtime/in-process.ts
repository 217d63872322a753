import type { Topic } from '@bazaar/shared';
import { applyOnce, mergeChanges, type Changes, type Queryable, type Worker } from './worker';

/** An outbox record as the embedded relay delivers it. */
export interface DeliveredRecord {
  event_id: string;
  topic: string;
  payload: object;
}

/**
 * The runner with no Kafka: the relay hands each batch to the workers in a
 * transaction the caller owns (the relay's own when embedded, where PGlite is
 * one session; one of their own, committed before the relay's, on PostgreSQL). An event a worker cannot apply is
 * rolled back to its savepoint and kept in worker_dead_letters; the others
 * go on. Only a failure of the database itself is thrown (the relay then
 * retries the batch, and applyOnce keeps that exact). Answers what the
 * batch changed that devices pull, for the caller to announce once the
 * transaction has committed.
 */
export function inProcessDelivery(workers: readonly Worker[], onDeadLetter: (worker: string, error: string) => void = () => {}) {
  return async (records: readonly DeliveredRecord[], tx: Queryable): Promise<Changes> => {
    const changes: Changes[number][] = [];
    const applied = async (work: Promise<{ changes: Changes }>) => {
      changes.push(...(await work).changes);
    };
    for (const worker of workers) {
      const mine = records.filter((r) => worker.topics.includes(r.topic as Topic));
      if (mine.length === 0) continue;
      // The whole batch at once, and one by one only when something in it fails.
      if (await attempt(tx, () => applied(applyOnce(tx, worker, mine.map((r) => worker.parse(r.topic as Topic, r.payload)))))) continue;
      for (const record of mine) {
        await attempt(tx, () => applied(applyOnce(tx, worker, [worker.parse(record.topic as Topic, record.payload)])), async (error) => {
          await tx.query('INSERT INTO worker_dead_letters (consumer, event_id, topic, payload, error) VALUES ($1, $2, $3, $4, $5)', [
            worker.name,
            record.event_id,
            record.topic,
            JSON.stringify(record.payload),
            error,
          ]);
          onDeadLetter(worker.name, error);
        });
      }
    }
    return mergeChanges(changes);
  };
}

/** Runs `work` under a savepoint; on failure rolls back to it, calls `failed`, and answers false. */
async function attempt(tx: Queryable, work: () => Promise<unknown>, failed?: (error: string) => Promise<void>): Promise<boolean> {
  await tx.query('SAVEPOINT worker');
  try {
    await work();
    await tx.query('RELEASE SAVEPOINT worker');
    return true;
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT worker');
    await failed?.(String(err));
    return false;
  }
}
