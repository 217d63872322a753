import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startHarness, type Harness } from '../../../sync-server/test/harness';
import { pruneProcessedEvents, PROCESSED_KEEP_DAYS } from './processed';

// Against real PostgreSQL: old ids go, in batches; ids an event could still be redelivered for stay.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('pruneProcessedEvents', () => {
  it('deletes ids older than the Kafka retention and a day, batch by batch, and keeps the rest', async () => {
    const consumer = `prune-${randomUUID().slice(0, 8)}`;
    const insert = (n: number, ageDays: number) =>
      h.sql.query(
        `INSERT INTO processed_events (consumer, event_id, processed_at)
         SELECT $1, gen_random_uuid(), now() - make_interval(days => $2) FROM generate_series(1, $3)`,
        [consumer, ageDays, n],
      );
    // Younger than the default, so the harness server's own pruning (at its start) leaves them to this test.
    const keep = PROCESSED_KEEP_DAYS - 5;
    await insert(2_500, keep + 2);
    await insert(40, keep - 1);
    await insert(10, 0);

    expect(await pruneProcessedEvents(h.sql, keep, 1_000)).toBe(2_500);
    expect(await countRows(h.sql, 'processed_events', 'consumer = $1', [consumer])).toBe(50);
    expect(await pruneProcessedEvents(h.sql, keep, 1_000)).toBe(0);
  });
});
