import type pg from 'pg';
import { topics, type OutboxEvent } from '@bazaar/shared';
import type { Queryable } from '../db/database';
import { visibilityHorizon } from '../db/horizon';
import { eventsFor, type LoggedOperation } from './events';
import { RefusedForGood, type EventPublisher, type OutboxRecord } from './publisher';

// One relay publishes at a time across all server instances, so events leave
// in log order and one store's events never overtake each other.
const RELAY_LOCK = 4_242_002;
const MAX_BACKOFF_MS = 15_000;
// Well under Kafka's default limit of about 1 MB a request: a 500-line sale's event is about 43 KB.
const BATCH_BYTES = 512 * 1024;

export interface RelayOptions {
  pollMs: number;
  batchSize?: number;
  /** A batch stops growing past this many bytes of payload (one operation's events alone may exceed it). */
  batchBytes?: number;
  /** Published rows are kept this long (for replays and inspection), then deleted. */
  retentionHours?: number;
  onError?: (err: unknown) => void;
  /** Told of every event moved to the dead letters, so it is counted and logged. */
  onDeadLetter?: (events: { eventId: string; topic: string; error: string }[]) => void;
}

/** An event on its way out, with the size of its payload (close to what goes on the wire). */
type SizedRecord = OutboxRecord & { bytes: number };

/** The first items whose payloads add up to at most `max` bytes; always at least one. */
function underBytes<T>(items: T[], max: number, bytesOf: (item: T) => number): T[] {
  let bytes = 0;
  for (let n = 0; n < items.length; n++) {
    bytes += bytesOf(items[n]!);
    if (n > 0 && bytes > max) return items.slice(0, n);
  }
  return items;
}

/** A place in the log: the push's transaction id, then the operation's place in its batch. */
export interface LogPosition {
  txid: string;
  seq: number;
}

/** An operation read from the log, with where it is. */
export type LogEntry = LoggedOperation & LogPosition;

/**
 * The log's next `limit` operations after `after`, with their movements, in
 * the order their pushes committed. Only pushes older than every write still
 * running are read (`horizon`, SPEC.md P3), so a late commit is never skipped.
 */
export async function readLog(db: Queryable, after: LogPosition, horizon: string, limit: number): Promise<LogEntry[]> {
  const { rows } = await db.query<Omit<LogEntry, 'receivedAt'> & { receivedAt: Date }>(
    `SELECT o.logged_txid::text AS txid, o.log_seq AS seq, o.payload AS operation, o.status, o.reason, o.message, o.effect,
            o.user_id AS "userId", o.received_at AS "receivedAt",
            coalesce((SELECT json_agg(json_build_object('lineNo', m.line_no, 'productId', m.product_id, 'delta', m.delta::float8,
                                                        'quantity', m.resulting_quantity::float8, 'version', m.resulting_version,
                                                        'discrepancy', m.discrepancy) ORDER BY m.line_no)
                        FROM movements m WHERE m.operation_id = o.id AND m.store_id = o.store_id), '[]') AS movements
       FROM operations o
      WHERE o.log_seq IS NOT NULL AND o.logged_txid < $3::xid8 AND (o.logged_txid, o.log_seq) > ($1::xid8, $2::int)
      ORDER BY o.logged_txid, o.log_seq
      LIMIT $4`,
    [after.txid, after.seq, horizon, limit],
  );
  return rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() }));
}

/** How many operations wait for their events to go out, with the outbox rows an older release wrote. */
export async function unpublished(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM operations o, log_relay r WHERE o.log_seq IS NOT NULL AND (o.logged_txid, o.log_seq) > (r.txid, r.seq))::int
          + (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int AS n`,
  );
  return rows[0]!.n;
}

function sized(e: OutboxEvent): SizedRecord {
  const json = JSON.stringify(e.event);
  return { event_id: e.event.eventId, topic: e.topic, key: e.key, payload: e.event, json, bytes: Buffer.byteLength(json) };
}

/**
 * Publishes the log's events to the broker (docs/EVENTS.md). A push writes
 * no copy of its events: the relay reads committed operations in log order
 * from its checkpoint, derives their events (`eventsFor`: the same ids on
 * every reading), publishes them, and moves the checkpoint in the
 * transaction that holds the relay lock. A crash between publish and that
 * commit sends them again: delivery is at least once, and consumers
 * deduplicate by event id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private stopped = true;
  private lastPrune = 0;
  private more = false;
  /** Events moved to the dead letters by this relay since it started. */
  deadLettered = 0;

  /** `pool` should be the relay's own: behind busy pushes in a shared pool it falls behind. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: EventPublisher,
    private readonly options: RelayOptions,
  ) {}

  /** Operations read from the log at a time. */
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

  /**
   * Publishes one batch; answers how far it went: the operations of the log it
   * moved past (some have no events) or the older outbox rows it sent; 0 when
   * there was nothing, or another relay holds the lock.
   */
  async runOnce(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [RELAY_LOCK]);
      if (!lock[0]?.ok) {
        await client.query('ROLLBACK');
        return 0;
      }
      const sent = (await this.publishOlderOutbox(client)) ?? (await this.publishLog(client));
      await client.query('COMMIT');
      return sent;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Events an older release wrote to the outbox go first (a rolling update
   * runs both releases for a while). Answers null when there are none.
   */
  private async publishOlderOutbox(client: pg.PoolClient): Promise<number | null> {
    const { rows } = await client.query<SizedRecord & { id: string }>(
      'SELECT id, event_id, topic, key, payload, octet_length(payload::text) AS bytes FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
      [this.batchSize],
    );
    if (rows.length === 0) return null;
    const batch = underBytes(rows, this.options.batchBytes ?? BATCH_BYTES, (r) => r.bytes);
    this.more = true;
    await this.publishOrSetAside(batch, client);
    await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [batch.map((r) => r.id)]);
    return batch.length;
  }

  /**
   * The log's next operations: their events go out, in requests of at most
   * `batchBytes`, one after another and in order, then the checkpoint moves
   * past them all. Everything read is sent: reading a thousand operations and
   * sending the few that fit one request made the relay fall behind busy pushes.
   */
  private async publishLog(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<LogPosition>('SELECT txid::text AS txid, seq FROM log_relay');
    // Read while this transaction has written nothing, so the horizon does not wait for it.
    const horizon = await visibilityHorizon(client, false);
    const entries = await readLog(client, rows[0]!, horizon, this.batchSize);
    this.more = entries.length === this.batchSize;
    if (entries.length === 0) return 0;
    let records = entries.flatMap((entry) => eventsFor(entry).map(sized));
    while (records.length > 0) {
      const request = underBytes(records, this.options.batchBytes ?? BATCH_BYTES, (r) => r.bytes);
      await this.publishOrSetAside(request, client);
      records = records.slice(request.length);
    }
    const last = entries.at(-1)!;
    await client.query('UPDATE log_relay SET txid = $1::xid8, seq = $2', [last.txid, last.seq]);
    return entries.length;
  }

  /**
   * Publishes a batch; when the broker refuses it for good, publishes its
   * events one by one, in order, to find those it will never take, and sets
   * those aside; any other failure throws, and the batch waits for the next try.
   */
  private async publishOrSetAside(batch: SizedRecord[], client: pg.PoolClient): Promise<void> {
    try {
      await this.publisher.publish(batch, client);
      return;
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
    if (dead.length > 0) await this.setAside(client, dead);
  }

  /** Dead letters are kept in their own table; a notice goes to the dead-letter topic when the broker takes it. */
  private async setAside(client: pg.PoolClient, dead: { record: SizedRecord; error: string }[]): Promise<void> {
    await client.query(
      `INSERT INTO outbox_dead_letters (event_id, topic, key, payload, bytes, error)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(event_id uuid, topic text, key text, payload jsonb, bytes int, error text)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(dead.map(({ record: { event_id, topic, key, payload, bytes }, error }) => ({ event_id, topic, key, payload, bytes, error })))],
    );
    this.deadLettered += dead.length;
    this.options.onDeadLetter?.(dead.map((d) => ({ eventId: d.record.event_id, topic: d.record.topic, error: d.error })));
    const notices = dead.map(({ record: { bytes, json: _json, ...record }, error }) => ({
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

  /** An older release's outbox rows, once published, leave after a while (the log itself stays). */
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
    // A full batch, or one cut short by bytes, means more is waiting.
    const full = published > 0 && this.more;
    const wasPoked = this.again;
    this.again = false;
    if (this.failures > 0) this.schedule(Math.min(MAX_BACKOFF_MS, 200 * 2 ** this.failures));
    else this.schedule(full || wasPoked ? 0 : this.options.pollMs);
  }
}
