import { useState } from 'react';
import type { BazaarDatabase } from '../db/database';
import type { OperationRecord } from '../db/schemas';
import type { StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import type { Strings } from '../i18n/strings';
import { describeLines } from './operation-lines';

/** Set aside and not discarded: these need the user. */
export const isSetAside = (op: OperationRecord) => op.setAside !== undefined && !op.setAside.discardedAt;

/**
 * What the server refused for good as a request (a role that may no longer
 * record it, something it cannot read): kept on this device, never resent by
 * itself. The user saves a copy for the shop's books, tries again (after the
 * owner fixed a role, say), or discards it, which still keeps it stored.
 */
export function SetAsideList({ db, view }: { db: BazaarDatabase; view: StoreView }) {
  const { t } = useLanguage();
  const shown = view.operations.filter(isSetAside);
  const discarded = view.operations.filter((op) => op.setAside?.discardedAt).length;
  if (shown.length === 0 && discarded === 0) return null;
  return (
    <section aria-labelledby="set-aside-title">
      <h3 id="set-aside-title">{t.setAsideTitle}</h3>
      {shown.length > 0 && <p className="small">{t.setAsideIntro}</p>}
      <ul className="op-list">
        {shown.map((op) => (
          <SetAsideItem key={op.id} op={op} db={db} view={view} />
        ))}
      </ul>
      {discarded > 0 && <p className="muted small">{t.discardedCount(discarded)}</p>}
    </section>
  );
}

function reasonText(op: OperationRecord, t: Strings): string {
  const reason = op.setAside?.reason;
  return reason && reason in t.setAsideReasons ? t.setAsideReasons[reason as keyof Strings['setAsideReasons']] : t.setAsideReasons.other;
}

function SetAsideItem({ op, db, view }: { op: OperationRecord; db: BazaarDatabase; view: StoreView }) {
  const { t, format } = useLanguage();
  const [confirming, setConfirming] = useState(false);
  const change = async (edit: (doc: OperationRecord) => OperationRecord) => {
    const doc = await db.operations.findOne(op.id).exec();
    await doc?.incrementalModify(edit);
  };
  // Taken back into the queue: pushed again like anything new.
  const tryAgain = () => void change(({ setAside: _dropped, ...rest }) => rest as OperationRecord);
  const discard = () => void change((doc) => ({ ...doc, setAside: { ...doc.setAside!, discardedAt: new Date().toISOString() } }));

  return (
    <li className="op-item card op-set-aside" data-operation={op.id}>
      <p>
        <span className="badge-inline">{t.setAsideBadge}</span> <strong>{t.operationTypes[op.type]}</strong>{' '}
        <span className="muted small">{format.time(op.createdAt)}</span>
      </p>
      <p className="small">{describeLines(op, view, format, t)}</p>
      <p className="reason">{reasonText(op, t)}</p>
      <p className="muted small" lang="en">
        {op.setAside?.message}
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-label={t.discardForGood}>
          <p className="small">{t.discardForGood}</p>
          <div className="actions">
            <button type="button" className="secondary" onClick={discard}>
              {t.confirmDiscard}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t.keepIt}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => saveCopy(op)}>
            {t.saveCopy}
          </button>
          <button type="button" className="secondary" onClick={tryAgain}>
            {t.tryAgain}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            {t.discard}
          </button>
        </div>
      )}
    </li>
  );
}

/** A file of the operation as recorded, with the server's refusal, for the shop's own books. */
function saveCopy(op: OperationRecord): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(op, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `bazaar-${op.type}-${op.createdAt.slice(0, 10)}-${op.id.slice(0, 8)}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
