import type pg from 'pg';
import type { EventPublisher, OutboxRecord } from './publisher';

// One relay publishes at a time across all server instances, so events leave
// in outbox order and one store's events never overtake each other.
const RELAY_LOCK = 4_242_002;
const MAX_BACKOFF_MS = 15_000;

export interface RelayOptions {
  pollMs: number;
  batchSize?: number;
  /** Published rows are kept this long (for replays and inspection), then deleted. */
  retentionHours?: number;
  onError?: (err: unknown) => void;
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
      const { rows } = await client.query<OutboxRecord>(
        'SELECT id, event_id, topic, key, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
        [this.batchSize],
      );
      if (rows.length > 0) {
        await this.publisher.publish(rows);
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
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
    const full = published >= this.batchSize;
    const wasPoked = this.again;
    this.again = false;
    if (this.failures > 0) this.schedule(Math.min(MAX_BACKOFF_MS, 200 * 2 ** this.failures));
    else this.schedule(full || wasPoked ? 0 : this.options.pollMs);
  }
}
