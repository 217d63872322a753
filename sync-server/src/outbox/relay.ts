import type pg from 'pg';
import { topics } from '@bazaar/shared';
import { RefusedForGood, type EventPublisher, type OutboxRecord } from './publisher';

// One relay publishes at a time across all server instances, so events leave
// in outbox order and one store's events never overtake each other.
const RELAY_LOCK = 4_242_002;
const MAX_BACKOFF_MS = 15_000;
// Well under Kafka's default limit of about 1 MB a request: a 500-line sale's event is about 43 KB.
const BATCH_BYTES = 512 * 1024;

export interface RelayOptions {
  pollMs: number;
  batchSize?: number;
  /** A batch stops growing past this many bytes of payload (one event alone may exceed it). */
  batchBytes?: number;
  /** Published rows are kept this long (for replays and inspection), then deleted. */
  retentionHours?: number;
  onError?: (err: unknown) => void;
  /** Told of every event moved to the dead letters, so it is counted and logged. */
  onDeadLetter?: (events: { eventId: string; topic: string; error: string }[]) => void;
}

/** An outbox row with the size of its payload as PostgreSQL writes it out (close to what goes on the wire). */
type SizedRecord = OutboxRecord & { bytes: number };

/** The first rows whose payloads add up to at most `max` bytes; always at least one. */
function underBytes(rows: SizedRecord[], max: number): SizedRecord[] {
  let bytes = 0;
  for (let n = 0; n < rows.length; n++) {
    bytes += rows[n]!.bytes;
    if (n > 0 && bytes > max) return rows.slice(0, n);
  }
  return rows;
}

/**
 * Moves committed outbox rows to the broker. It selects rows not yet
 * published (never "id > last seen", which skips rows that commit out of id
 * order), publishes them, and marks them in the same transaction that holds
 * the relay lock. A crash between publish and mark re-sends them: delivery is
 * at least once, and consumers deduplicate by event id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private stopped = true;
  private lastPrune = 0;
  private cutShort = false;
  /** Events moved to the dead letters by this relay since it started. */
  deadLettered = 0;

  /** `pool` should be the relay's own: behind busy pushes in a shared pool it falls behind. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: EventPublisher,
    private readonly options: RelayOptions,
  ) {}

  private get batchSize(): number {
    return this.options.batchSize ?? 1000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something was just committed: publish it soon rather than at the next poll. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Publishes one batch; returns how many rows went out (0 when another relay holds the lock). */
  async runOnce(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [RELAY_LOCK]);
      if (!lock[0]?.ok) {
        await client.query('ROLLBACK');
        return 0;
      }
      const { rows } = await client.query<SizedRecord>(
        'SELECT id, event_id, topic, key, payload, octet_length(payload::text) AS bytes FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
        [this.batchSize],
      );
      const batch = underBytes(rows, this.options.batchBytes ?? BATCH_BYTES);
      this.cutShort = batch.length < rows.length;
      if (batch.length > 0) {
        const dead = await this.publishOrSetAside(batch, client);
        const deadIds = new Set(dead.map((d) => d.record.id));
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [batch.filter((r) => !deadIds.has(r.id)).map((r) => r.id)]);
        if (dead.length > 0) await this.moveToDeadLetters(client, dead);
      }
      await client.query('COMMIT');
      return batch.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Publishes a batch; when the broker refuses it for good, publishes its
   * events one by one, in order, to find those it will never take. Those are
   * answered for the dead letters; any other failure throws, and the batch
   * waits in the outbox for the next try.
   */
  private async publishOrSetAside(batch: SizedRecord[], client: pg.PoolClient): Promise<{ record: SizedRecord; error: string }[]> {
    try {
      await this.publisher.publish(batch, client);
      return [];
    } catch (err) {
      if (!(err instanceof RefusedForGood)) throw err;
    }
    const dead: { record: SizedRecord; error: string }[] = [];
    for (const record of batch) {
      try {
        await this.publisher.publish([record], client);
      } catch (err) {
        if (!(err instanceof RefusedForGood)) throw err;
        dead.push({ record, error: err.message });
      }
    }
    return dead;
  }

  /** Dead letters leave the outbox for their own table; a notice goes to the dead-letter topic when the broker takes it. */
  private async moveToDeadLetters(client: pg.PoolClient, dead: { record: SizedRecord; error: string }[]): Promise<void> {
    await client.query(
      `WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, error text))
       INSERT INTO outbox_dead_letters (outbox_id, event_id, topic, key, payload, bytes, error)
       SELECT o.id, o.event_id, o.topic, o.key, o.payload, octet_length(o.payload::text), d.error FROM outbox o JOIN d USING (id)
       ON CONFLICT (outbox_id) DO NOTHING`,
      [JSON.stringify(dead.map((d) => ({ id: d.record.id, error: d.error })))],
    );
    await client.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [dead.map((d) => d.record.id)]);
    this.deadLettered += dead.length;
    this.options.onDeadLetter?.(dead.map((d) => ({ eventId: d.record.event_id, topic: d.record.topic, error: d.error })));
    const notices = dead.map(({ record: { bytes, ...record }, error }) => ({
      ...record,
      topic: topics.deadLetters,
      payload: { eventId: record.event_id, topic: record.topic, key: record.key, bytes, error, at: new Date().toISOString() },
    }));
    await this.publisher.publish(notices, client).catch(() => {});
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, delay);
  }

  /** The outbox is a conveyor, not the audit trail (that is `movements`): published rows leave after a while. */
  async prune(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`,
      [this.options.retentionHours ?? 24],
    );
    return rowCount ?? 0;
  }

  private async tick(): Promise<void> {
    let published = 0;
    try {
      if (Date.now() - this.lastPrune > 60_000) {
        this.lastPrune = Date.now();
        await this.prune();
      }
      published = await this.runOnce();
      this.failures = 0;
    } catch (err) {
      this.failures++;
      this.options.onError?.(err);
    }
    // A batch cut short by bytes also means more is waiting.
    const full = published >= this.batchSize || this.cutShort;
    const wasPoked = this.again;
    this.again = false;
    if (this.failures > 0) this.schedule(Math.min(MAX_BACKOFF_MS, 200 * 2 ** this.failures));
    else this.schedule(full || wasPoked ? 0 : this.options.pollMs);
  }
}
