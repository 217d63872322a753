import { useMemo, useState } from 'react';
import { awaitsDecision, awaitsReview, mayPush, type OperationReason, type SessionUser } from '@bazaar/shared';
import type { BazaarDatabase } from '../db/database';
import { recordOperation, recordResolution, type RecordContext } from '../db/record';
import type { OperationRecord, ResolutionRecord } from '../db/schemas';
import type { StoreView } from '../db/store-view';
import { useQueryDocs } from '../db/use-observable';
import { useLanguage } from '../i18n/language';
import type { Formatters, Strings } from '../i18n/strings';
import { nearlyFull, type StorageHealth } from '../storage/storage-health';
import type { SyncStatus } from '../sync/sync-status';
import { APP_VERSION } from '../version';
import { describeLines } from './operation-lines';
import { SetAsideList } from './set-aside-list';

/**
 * Refused, or applied with a flag, and waiting for someone like `user`
 * (awaitsDecision: nobody decided, or a flag acknowledged at the counter
 * awaits its owner's review), unless this device has decided since.
 */
export function needsAttention(op: OperationRecord, decided: ReadonlyMap<string, string>, user: Pick<SessionUser, 'role' | 'storeIds'>): boolean {
  if (!awaitsDecision(op, user)) return false;
  const mine = decided.get(op.id);
  // A decision of this device counts when it is newer than the one the server holds (a review after an acknowledgement).
  const decision = op.outcome?.resolution;
  return mine === undefined || (decision != null && Date.parse(mine) <= Date.parse(decision.at));
}

/**
 * The decisions taken on this device, by operation id, with their time: they
 * may not have reached the server yet. One the server refused for good does not count.
 */
export function useDecided(db: BazaarDatabase): Map<string, string> {
  const resolutions = useQueryDocs<ResolutionRecord>(() => db.resolutions.find().$, [db]);
  return useMemo(() => new Map(resolutions.filter((r) => !r.setAside).map((r) => [r.id, r.createdAt])), [resolutions]);
}

/**
 * What has and has not reached the server: connection, the queue, the last
 * successful sync, and every operation the server refused or flagged, with
 * its reason and what can be done about it. Every decision is itself recorded.
 */
export function SyncScreen(props: {
  db: BazaarDatabase;
  view: StoreView;
  context: RecordContext;
  user: SessionUser;
  status: SyncStatus;
  /** The store's operations that need a decision (needsAttention), newest first. */
  attention: readonly OperationRecord[];
  storage: StorageHealth;
  online: boolean;
  onSyncNow: () => void;
  /** Opens a product's count form; absent for users who may not count. */
  onCount?: ((productId: string) => void) | undefined;
}) {
  const { db, view, context, status, storage, online } = props;
  const { t, format } = useLanguage();
  const { attention } = props;

  return (
    <main className="sync-screen">
      <h2>{t.syncTitle}</h2>
      <section className="card" aria-label={t.status}>
        <dl className="facts">
          <dt>{t.connection}</dt>
          <dd>{online ? t.online : t.offline}</dd>
          <dt>{t.waiting}</dt>
          <dd>{view.pending.length}</dd>
          <dt>{t.lastSync}</dt>
          <dd data-testid="last-sync">{status.lastSyncAt ? format.time(status.lastSyncAt) : t.never}</dd>
          <dt>{t.appVersion}</dt>
          <dd>{APP_VERSION}</dd>
          {status.lastError && (
            <>
              <dt>{t.lastError}</dt>
              <dd>{status.lastError}</dd>
            </>
          )}
        </dl>
        <button type="button" className="secondary" onClick={props.onSyncNow}>
          {t.syncNow}
        </button>
        <StorageNote storage={storage} />
      </section>

      <SetAsideList db={db} view={view} />

      <section aria-labelledby="attention-title">
        <h3 id="attention-title">{t.needsAttention}</h3>
        {attention.length === 0 ? (
          <p className="muted">{t.nothingNeedsAttention}</p>
        ) : (
          <ul className="op-list">
            {attention.map((op) => (
              <AttentionItem key={op.id} op={op} db={db} view={view} context={context} mayDecide={mayPush(props.user, op.type, context.storeId)} onCount={props.onCount} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="waiting-title">
        <h3 id="waiting-title">{t.waiting}</h3>
        {view.pending.length === 0 ? (
          <p className="muted">{t.nothingWaiting}</p>
        ) : (
          <ul className="op-list">
            {view.pending.map((op) => (
              <li key={op.id} className="op-item card">
                <strong>{t.operationTypes[op.type]}</strong> <span className="muted">{format.time(op.createdAt)}</span>
                <p className="small">{describeLines(op, view, format, t)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

export function StorageNote({ storage }: { storage: StorageHealth }) {
  const { t } = useLanguage();
  if (nearlyFull(storage)) {
    return (
      <p className="notice" role="alert">
        {t.storageNearlyFull(Math.round((storage.usage ?? 1) * 100))}
      </p>
    );
  }
  if (storage.persisted === false) return <p className="notice">{t.storageNotPersisted}</p>;
  if (storage.persisted) return <p className="muted small">{t.storagePersisted}</p>;
  return null;
}

/** The user's words for a refusal: a conflict spelled out with both values, else the reason's translation. */
function explain(op: OperationRecord, t: Strings, format: Formatters): string {
  const outcome = op.outcome;
  if (op.type === 'store_product_update' && outcome?.reason === 'stale_version' && outcome.current) {
    if (op.changes.price !== undefined) {
      const theirs = outcome.current.price;
      return t.priceConflict(op.changes.price === null ? '—' : format.price(op.changes.price), theirs === null ? '—' : format.price(theirs));
    }
    if (op.changes.reorderLevel !== undefined) {
      const theirs = outcome.current.reorderLevel;
      return t.reorderConflict(op.changes.reorderLevel === null ? '—' : format.quantity(op.changes.reorderLevel), theirs === null ? '—' : format.quantity(theirs));
    }
  }
  const reason: OperationReason | null | undefined = outcome?.reason;
  return reason && reason in t.reasons ? t.reasons[reason] : (outcome?.message ?? '');
}

/**
 * One refused or flagged operation and what can be done about it. Only a
 * role that may push that kind of operation is offered a decision (the
 * server refuses the others, R9): a shopkeeper sees an owner's price conflict
 * explained, not settled.
 */
function AttentionItem(props: {
  op: OperationRecord;
  db: BazaarDatabase;
  view: StoreView;
  context: RecordContext;
  mayDecide: boolean;
  onCount?: ((productId: string) => void) | undefined;
}) {
  const { op, db, view, context } = props;
  const { t, format } = useLanguage();
  const [busy, setBusy] = useState(false);
  const decide = (work: () => Promise<void>) => {
    setBusy(true);
    work().finally(() => setBusy(false));
  };
  const discard = () => decide(() => recordResolution(db, context, op.id, 'discarded'));
  // A review replaces the counter's acknowledgement this device may hold.
  const review = awaitsReview(op);
  const acknowledge = () => decide(() => recordResolution(db, context, op.id, 'acknowledged', undefined, { supersede: review }));
  // The same change again, on top of the version that won: a new operation, so the refusal stays on record.
  const resend = () =>
    decide(async () => {
      const current = op.outcome?.current;
      if (op.type !== 'store_product_update' || !current) return;
      const copy = await recordOperation(db, context, { type: 'store_product_update', productId: op.productId, baseVersion: current.version, changes: op.changes });
      await recordResolution(db, context, op.id, 'resent', copy.id);
    });
  const firstProduct = op.type === 'store_product_update' ? op.productId : 'lines' in op ? op.lines[0]?.productId : undefined;
  const mine = op.deviceId === context.deviceId;
  const outcome = op.outcome;
  const flagged = outcome?.status === 'applied';

  return (
    <li className={`op-item card ${flagged ? 'op-flagged' : 'op-refused'}`} data-operation={op.id}>
      <p>
        <span className="badge-inline">{flagged ? t.flagged : t.refused}</span> <strong>{t.operationTypes[op.type]}</strong>{' '}
        <span className="muted small">
          {format.time(op.createdAt)} · {mine ? t.fromThisDevice : t.fromOtherDevice}
        </span>
      </p>
      <p className="small">{describeLines(op, view, format, t)}</p>
      <p className="reason">{explain(op, t, format)}</p>
      {review && outcome?.resolution && <p className="small seen-at-counter">{t.seenAtCounter(format.time(outcome.resolution.at))}</p>}
      {!props.mayDecide && <p className="muted small">{t.othersDecide}</p>}
      <div className="actions">
        {props.mayDecide && op.type === 'store_product_update' && outcome?.reason === 'stale_version' && outcome.current && (
          <button type="button" className="primary" disabled={busy} onClick={resend}>
            {t.resendMine}
          </button>
        )}
        {(flagged || op.type === 'count') && firstProduct && props.onCount && (
          <button type="button" className="secondary" disabled={busy} onClick={() => props.onCount?.(firstProduct)}>
            {t.countNow}
          </button>
        )}
        {props.mayDecide &&
          (flagged ? (
            <button type="button" className="secondary" disabled={busy} onClick={acknowledge}>
              {t.acknowledge}
            </button>
          ) : (
            <button type="button" className="secondary" disabled={busy} onClick={discard}>
              {outcome?.reason === 'stale_version' ? t.keepTheirs : t.discard}
            </button>
          ))}
      </div>
    </li>
  );
}
