import {
  AlertDoc,
  Checkpoint,
  CustomerDoc,
  DEVICE_PULL_LIMIT,
  ResolutionPushRow,
  OperationDoc,
  ProductDoc,
  PushRow,
  StockDoc,
  StoreProductDoc,
  StreamChange,
  type PullCollection,
} from '@bazaar/shared';
import type { RxCollection } from 'rxdb/plugins/core';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { Subject } from 'rxjs';
import type { BazaarDatabase } from '../db/database';
import type { OperationRecord, ResolutionRecord, SetAside } from '../db/schemas';
import { apiFetch } from './api';
import { openEventStream } from './event-stream';
import { Backoff } from './backoff';
import { keepHistoryTrimmed } from './history-horizon';
import { pushInChunks } from './push-queue';
import type { SyncStatusStore } from './sync-status';

/** Rows RxDB hands over at once; they go out in chunks sized by bytes (push-queue.ts). */
const PUSH_BATCH = 50;
/** RxDB's fixed wait before retrying a failed handler; Backoff adds to it. */
const RETRY_MS = 1_000;

interface PullPage {
  documents: unknown[];
  checkpoint: Checkpoint | null;
}


interface PullSpec {
  path: PullCollection;
  collection: RxCollection;
  schema: { parse(doc: unknown): unknown };
  /** Store-scoped collections come for every store of the user; this database keeps one. */
  scoped: boolean;
  /** The protocol whose documents this collection's checkpoint starts from: a new one restarts its pull from the beginning. */
  since?: number;
}

/**
 * Fetches pages until it has `batchSize` documents of this store or the
 * server has no more. Dropping other stores' documents page by page would
 * look like a short page to RxDB, which would stop pulling too early.
 */
async function pullStore(spec: PullSpec, storeId: string, from: Checkpoint | undefined, batchSize: number) {
  const documents: unknown[] = [];
  let checkpoint = from;
  for (;;) {
    const query = new URLSearchParams({ limit: String(DEVICE_PULL_LIMIT) });
    if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
    const page = await apiFetch<PullPage>(`/api/sync/${spec.path}/pull?${query}`);
    for (const doc of page.documents) {
      spec.schema.parse(doc);
      if (!spec.scoped || (doc as { storeId: string }).storeId === storeId) documents.push(doc);
    }
    if (page.checkpoint) checkpoint = Checkpoint.parse(page.checkpoint);
    if (page.documents.length < DEVICE_PULL_LIMIT || documents.length >= batchSize) break;
  }
  return { documents, checkpoint };
}

/** The wire form of a queued row: RxDB's bookkeeping, what the server sent (`updatedAt`, `outcome`) and a set-aside mark stay home. */
function toWire(doc: Record<string, unknown>): unknown {
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'updatedAt' || key === 'setAside' || key === 'outcome' || (key.startsWith('_') && key !== '_deleted')) continue;
    wire[key] = value;
  }
  return wire;
}

const utf8 = new TextEncoder();
const byteSize = (value: unknown) => utf8.encode(JSON.stringify(value)).length;

interface QueuedRow<Doc> {
  newDocumentState: Doc;
  assumedMasterState?: Doc | null;
}

/** The master state RxDB keeps for a row set aside: the device's document, marked with the server's refusal. */
function setAside<Doc>(doc: Doc, error: { status: number; reason: string; message: string }): Doc & { setAside: SetAside } {
  return { ...doc, setAside: { status: error.status, reason: error.reason, message: error.message, at: new Date().toISOString() } };
}

/**
 * Pushes queued rows so that nothing can stall the queue: each row is first
 * checked with the same schema the server uses (an operation queued by an
 * older version may not pass any more), then sent in chunks by size; what
 * the server refuses for good comes back set aside, as the master state RxDB
 * then stores, so it is kept and never resent. Transient failures throw and
 * RxDB retries the whole batch.
 */
async function pushQueue<Doc>(
  rows: readonly QueuedRow<Doc>[],
  toWire: (row: QueuedRow<Doc>) => unknown,
  send: (wire: unknown[]) => Promise<unknown[]>,
): Promise<unknown[]> {
  const answers: unknown[] = [];
  const ready: { row: QueuedRow<Doc>; wire: unknown }[] = [];
  for (const row of rows) {
    try {
      ready.push({ row, wire: toWire(row) });
    } catch (err) {
      answers.push(setAside(row.newDocumentState, { status: 400, reason: 'malformed_request', message: (err as Error).message }));
    }
  }
  if (ready.length === 0) return answers;
  const outcome = await pushInChunks(ready, (chunk) => send(chunk.map((r) => r.wire)), (r) => byteSize(r.wire));
  return [...answers, ...outcome.answers, ...outcome.refused.map(({ item, error }) => setAside(item.row.newDocumentState, error))];
}

/**
 * RxDB's push modifier skips rows set aside (kept on the device, never sent
 * again) and the tombstones of operations dropped from the device's history
 * (history-horizon.ts): the server keeps those, the device only forgets them.
 */
const pushable = <Doc extends { setAside?: SetAside; _deleted?: boolean }>(doc: Doc) => (doc.setAside || doc._deleted ? null : doc);

export interface Replication {
  states: RxReplicationState<unknown, Checkpoint>[];
  /** Pulls everything now (after coming back online, or when the user asks). */
  resync(): void;
  stop(): Promise<void>;
}

/**
 * Starts live replication of the store's database: the operations queue is
 * pushed, and products, stock, store products, operations and alerts are pulled,
 * woken by the server's event stream, and operations past the device's
 * horizon are dropped (history-horizon.ts). Only the leading tab replicates;
 * the server is idempotent by operation id anyway (R1).
 */
export function startReplication(db: BazaarDatabase, storeId: string, status: SyncStatusStore): Replication {
  const backoffs: Backoff[] = [];
  /**
   * Every call that reached the server and was answered counts as a
   * successful sync; a failure waits out its replication's back-off before
   * RxDB's own retry.
   */
  const tracked = () => {
    const backoff = new Backoff();
    backoffs.push(backoff);
    return async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        const result = await call();
        backoff.succeeded();
        status.succeeded();
        return result;
      } catch (err) {
        await backoff.failed();
        throw err;
      }
    };
  };
  const resync$ = new Map<PullCollection, Subject<'RESYNC'>>();
  const specs: PullSpec[] = [
    // Since protocol 3: a device that was pulling products without `retired` pulls the catalog once more to learn them.
    { path: 'products', collection: db.products, schema: ProductDoc, scoped: false, since: 3 },
    { path: 'stock', collection: db.stock, schema: StockDoc, scoped: true },
    { path: 'store-products', collection: db.storeproducts, schema: StoreProductDoc, scoped: true },
    { path: 'operations', collection: db.operations, schema: OperationDoc, scoped: true },
    { path: 'alerts', collection: db.alerts, schema: AlertDoc, scoped: true },
    { path: 'customers', collection: db.customers, schema: CustomerDoc, scoped: true },
  ];

  const states = specs.map((spec) => {
    const attempt = tracked();
    const stream$ = new Subject<'RESYNC'>();
    resync$.set(spec.path, stream$);
    return replicateRxCollection<unknown, Checkpoint>({
      collection: spec.collection as RxCollection<unknown>,
      replicationIdentifier: `bazaar-${spec.path}${spec.since ? `-v${spec.since}` : ''}-${location.origin}/api/sync`,
      live: true,
      retryTime: RETRY_MS,
      waitForLeadership: true,
      pull: {
        batchSize: DEVICE_PULL_LIMIT,
        stream$: stream$.asObservable(),
        handler: async (checkpoint, batchSize) => {
          const page = await attempt(() => pullStore(spec, storeId, checkpoint, batchSize));
          return { documents: page.documents as never[], checkpoint: page.checkpoint };
        },
      },
      ...(spec.path === 'operations'
        ? {
            push: {
              batchSize: PUSH_BATCH,
              modifier: pushable as (doc: unknown) => unknown,
              handler: async (rows) =>
                // The server answers the master documents of conflicting operations, [] when none.
                attempt(() =>
                  pushQueue(
                    rows as unknown as QueuedRow<OperationRecord>[],
                    (row) => PushRow.parse({ newDocumentState: toWire(row.newDocumentState as never), assumedMasterState: null }),
                    (body) => apiFetch<unknown[]>('/api/sync/operations/push', { method: 'POST', body }),
                  ),
                ) as Promise<never[]>,
            },
          }
        : {}),
    });
  });
  // Decisions about refused operations only go up; they come back on the operations themselves.
  const attemptResolutions = tracked();
  const resolutions = replicateRxCollection<unknown, unknown>({
    collection: db.resolutions as RxCollection<unknown>,
    replicationIdentifier: `bazaar-resolutions-${location.origin}/api/sync`,
    live: true,
    retryTime: RETRY_MS,
    waitForLeadership: true,
    push: {
      batchSize: PUSH_BATCH,
      modifier: pushable as (doc: unknown) => unknown,
      handler: async (rows) =>
        attemptResolutions(async () => {
          const { ready, waiting, orphaned } = await orderedAfterReplacements(db, rows as QueuedRow<ResolutionRecord>[]);
          const answers = await pushQueue(
            ready,
            (row) => ResolutionPushRow.parse({ newDocumentState: toWire(row.newDocumentState as never), assumedMasterState: null }),
            (body) => apiFetch<unknown[]>('/api/sync/resolutions/push', { method: 'POST', body }),
          );
          // Retried (with back-off) until the corrections they name have reached the server.
          if (waiting > 0) throw new Error('A decision waits for its corrected operation to sync.');
          return [...answers, ...orphaned];
        }) as Promise<never[]>,
    },
  });
  const all = [...states, resolutions] as RxReplicationState<unknown, unknown>[];
  const stopTrimming = keepHistoryTrimmed(db, states[specs.findIndex((spec) => spec.path === 'operations')] as RxReplicationState<unknown, unknown>);
  for (const state of all) {
    state.error$.subscribe((err) => {
      // RxDB wraps the handler's error; the inner one carries the server's message for people.
      const inner = (err as { parameters?: { errors?: { message?: string }[] } }).parameters?.errors?.[0]?.message;
      console.warn('[sync]', inner ?? err.message);
      status.failed(inner ?? err.message);
    });
  }

  const resyncAll = (collections: readonly PullCollection[] = [...resync$.keys()]) => {
    for (const name of collections) resync$.get(name)?.next('RESYNC');
  };
  const stream = openEventStream({
    open: () => resyncAll(),
    resync: () => resyncAll(),
    change: (data) => {
      const change = StreamChange.safeParse(JSON.parse(data));
      resyncAll(change.success ? change.data.collections : undefined);
    },
  });
  const online = () => {
    for (const backoff of backoffs) backoff.wake();
    stream.ensureOpen();
    for (const state of all) state.reSync();
  };
  window.addEventListener('online', online);

  return {
    states: states as RxReplicationState<unknown, Checkpoint>[],
    resync: () => online(),
    stop: async () => {
      window.removeEventListener('online', online);
      stopTrimming();
      stream.close();
      for (const backoff of backoffs) backoff.wake();
      await Promise.all(all.map((s) => s.cancel()));
    },
  };
}

/**
 * A `resent` decision names its corrected operation, which the server must
 * hold first (R9), and the two travel in separate queues. Decisions whose
 * correction is still queued wait; one whose correction was set aside is set
 * aside with it.
 */
async function orderedAfterReplacements(db: BazaarDatabase, rows: QueuedRow<ResolutionRecord>[]) {
  const ready: QueuedRow<ResolutionRecord>[] = [];
  const orphaned: ResolutionRecord[] = [];
  let waiting = 0;
  for (const row of rows) {
    const replacementId = row.newDocumentState.replacementId;
    let replacement: Pick<OperationRecord, 'setAside' | 'outcome'> | null = null;
    if (replacementId) {
      // Read as the two fields it needs: a conditional over the whole document is a union too wide for the compiler.
      const doc = await db.operations.findOne(replacementId).exec();
      replacement = doc ? { setAside: doc.setAside, outcome: doc.outcome } : null;
    }
    if (replacement?.setAside) {
      orphaned.push(setAside(row.newDocumentState, { status: 400, reason: 'malformed_request', message: replacement.setAside.message }));
    } else if (replacement && replacement.outcome === undefined) {
      waiting++;
    } else {
      ready.push(row);
    }
  }
  return { ready, waiting, orphaned };
}

