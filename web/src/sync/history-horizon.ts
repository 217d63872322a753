import { droppedFromDevice, OPERATION_PULL_DAYS, type Operation } from '@bazaar/shared';
import {
  createRevision,
  getChangedDocumentsSince,
  normalizeMangoQuery,
  now,
  prepareQuery,
  type MangoQuery,
  type MangoQuerySelector,
  type MangoQuerySortPart,
  type RxDocumentData,
  type RxStorageInstance,
  type RxStorageReplicationMeta,
} from 'rxdb/plugins/core';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { BazaarDatabase } from '../db/database';
import type { OperationRecord } from '../db/schemas';

/**
 * SPEC.md P8, the device side of P7's horizon: a phone drops the operations
 * the server would no longer send it, so what it holds stays about the last
 * OPERATION_PULL_DAYS of the shop's history however long it is used.
 *
 * RxDB keeps two things per replicated operation: the document, and a row
 * in the replication's meta storage with the state last exchanged with the
 * server. Both go, in three steps, each safe to stop after:
 *   1. each dropped operation becomes a small tombstone (id, store, type,
 *      time), which the push modifier keeps off the wire;
 *   2. meta rows whose operation is no longer held are deleted;
 *   3. deleted documents of both are purged from IndexedDB.
 * A run cut short leaves tombstones or meta rows the next run that drops
 * anything finishes.
 */

/** Documents read and written at once: a cheap phone never holds more of them in hand, and a sale waits for one page at most. */
const PAGE = 500;
/** How many of the operations made last tell the device the server's time. */
const RECENT = 100;
/** While the app stays open, the history is trimmed this often, besides once after each start's first sync. */
export const TRIM_EVERY_MS = 6 * 60 * 60 * 1000;
/** How long a run waits for the push to take in its tombstones before sweeping; what it misses, the next run sweeps. */
const SETTLE_MS = 30_000;
const DAY_MS = 86_400_000;

export interface TrimResult {
  dropped: number;
  swept: number;
  /** Milliseconds each step took, for the console line. */
  took: { drop: number; settle: number; sweep: number; purge: number };
}

type Stored = RxDocumentData<OperationRecord>;

const idle = (db: BazaarDatabase) => db.idleQueue.requestIdlePromise({ timeout: 1_000 });

/**
 * Reads operations from storage, below RxDB's queries: nothing is cached or
 * wrapped, so a run leaves no pages of old operations behind in memory.
 */
function read(db: BazaarDatabase, query: { selector: MangoQuerySelector<OperationRecord>; sort: MangoQuerySortPart<OperationRecord>[]; skip?: number; limit: number }): Promise<Stored[]> {
  const storage = db.operations.storageInstance;
  const mango = { ...query, selector: { ...query.selector, _deleted: { $eq: false } } } as MangoQuery<OperationRecord>;
  return storage.query(prepareQuery(storage.schema, normalizeMangoQuery(storage.schema, mango))).then((result) => result.documents);
}

/**
 * The newest time the server received anything the device holds, read off
 * the operations made last. A lower bound (a phone with a slow clock makes
 * operations that sort older), so at worst the device keeps a little more.
 */
async function newestReceived(db: BazaarDatabase): Promise<string | null> {
  const recent = await read(db, { selector: {}, sort: [{ createdAt: 'desc' }], limit: RECENT });
  let newest: string | null = null;
  for (const doc of recent) {
    const at = doc.outcome?.receivedAt;
    if (at && (newest === null || Date.parse(at) > Date.parse(newest))) newest = at;
  }
  return newest;
}

/** Step 1: the operations `droppedFromDevice` lets go become tombstones. */
async function dropOld(db: BazaarDatabase, newest: string): Promise<number> {
  // Made before the horizon on the device's clock: only those can have been received before it, unless the clock ran fast (then they wait).
  const before = new Date(Date.parse(newest) - OPERATION_PULL_DAYS * DAY_MS).toISOString();
  let kept = 0;
  let dropped = 0;
  for (;;) {
    // Sales and pulls go first: a page waits for the database to be idle (for a second at most, so a busy counter does not starve it).
    await idle(db);
    // Oldest first; what is kept stays at the front, so skipping it pages on.
    const page = await read(db, { selector: { createdAt: { $lt: before } }, sort: [{ createdAt: 'asc' }], skip: kept, limit: PAGE });
    const old = page.filter((doc) => droppedFromDevice(doc as Operation, doc.outcome, newest));
    if (old.length > 0) {
      const result = await db.operations.storageInstance.bulkWrite(
        old.map((previous) => ({
          previous,
          document: {
            id: previous.id, storeId: previous.storeId, deviceId: previous.deviceId, createdAt: previous.createdAt, type: previous.type,
            _deleted: true, _attachments: {}, _meta: previous._meta, _rev: previous._rev,
          } as Stored,
        })),
        'bazaar-history-drop',
      );
      // A conflict means the operation changed meanwhile: it stays, and counts as kept.
      kept += page.length - old.length + result.error.length;
      dropped += old.length - result.error.length;
    } else {
      kept += page.length;
    }
    if (page.length < PAGE) return dropped;
  }
}

/** Step 2: meta rows of operations no longer held (tombstoned, purged, or left by a run cut short) are deleted. */
async function sweepMeta(db: BazaarDatabase, meta: RxStorageInstance<RxStorageReplicationMeta<OperationRecord, unknown>, unknown, unknown>): Promise<number> {
  let swept = 0;
  let checkpoint: unknown;
  for (;;) {
    await idle(db);
    const { documents, checkpoint: next } = await getChangedDocumentsSince(meta, PAGE, checkpoint);
    const rows = documents.filter((row) => row.isCheckpoint === '0' && !row._deleted);
    const held = new Set((await db.operations.storageInstance.findDocumentsById(rows.map((row) => row.itemId), false)).map((doc) => doc.id));
    const orphans = rows.filter((row) => !held.has(row.itemId));
    if (orphans.length > 0) {
      const result = await meta.bulkWrite(
        orphans.map((previous) => {
          const { docData: _gone, ...rest } = previous;
          return { previous, document: { ...rest, _deleted: true, _meta: { lwt: now() }, _rev: createRevision(db.token, previous) } as typeof previous };
        }),
        'bazaar-history-sweep',
      );
      swept += orphans.length - result.error.length;
    }
    checkpoint = next;
    if (documents.length < PAGE) return swept;
  }
}

/**
 * One run of all three steps. The sweep and the purge read every row they
 * might remove, so they run only when something was dropped: a shop that
 * sells drops something most days, and then also finishes a run cut short.
 */
export async function trimHistory(db: BazaarDatabase, replication: RxReplicationState<unknown, unknown>): Promise<TrimResult> {
  const took = { drop: 0, settle: 0, sweep: 0, purge: 0 };
  let mark = performance.now();
  const lap = (step: keyof typeof took) => {
    const at = performance.now();
    took[step] = Math.round(at - mark);
    mark = at;
  };
  const newest = await newestReceived(db);
  const dropped = newest ? await dropOld(db, newest) : 0;
  lap('drop');
  if (dropped === 0) return { dropped, swept: 0, took };
  // The push takes the tombstones in (and writes their meta rows) before the sweep, unless it is stuck offline behind queued sales.
  await Promise.race([replication.awaitInSync(), new Promise((resolve) => setTimeout(resolve, SETTLE_MS))]);
  lap('settle');
  const meta = replication.metaInstance as RxStorageInstance<RxStorageReplicationMeta<OperationRecord, unknown>, unknown, unknown> | undefined;
  const swept = meta ? await sweepMeta(db, meta) : 0;
  lap('sweep');
  await db.operations.storageInstance.cleanup(0);
  await meta?.cleanup(0);
  lap('purge');
  return { dropped, swept, took };
}

/**
 * Trims after the first sync of each start (the server's newest time is
 * known by then), then every TRIM_EVERY_MS. Runs where the replication runs:
 * in the leading tab; the others see the operations go.
 */
export function keepHistoryTrimmed(db: BazaarDatabase, replication: RxReplicationState<unknown, unknown>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    if (stopped) return;
    try {
      const { dropped, swept, took } = await trimHistory(db, replication);
      const total = took.drop + took.settle + took.sweep + took.purge;
      const steps = Object.entries(took).map(([step, ms]) => `${step} ${ms}`).join(', ');
      if (dropped > 0) console.info(`[history] dropped ${dropped} operations older than ${OPERATION_PULL_DAYS} days and ${swept} sync records in ${total} ms (${steps})`);
    } catch (err) {
      // Housekeeping: the next run tries again, and nothing the shop needs is touched by a failed one.
      console.warn('[history]', (err as Error).message);
    }
    if (!stopped) timer = setTimeout(() => void run(), TRIM_EVERY_MS);
  };
  void replication.awaitInitialReplication().then(run, () => undefined);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
