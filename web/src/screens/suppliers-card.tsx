import { useMemo, useState } from 'react';
import { amountProblem, normalizePhone, supplierBook, type SupplierAccount } from '@bazaar/shared';
import { readNumber } from '../components/amounts';
import { recordOperation, RefusedBeforeQueueing, type RecordContext } from '../db/record';
import type { BazaarDatabase } from '../db/database';
import type { StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import { receiveStrings } from './receive-strings';

type Note = { ok: boolean; text: string } | null;

/**
 * The store's suppliers (SPEC.md S1-S3): what the shop owes each, paying it
 * off from the drawer or elsewhere, and a supplier's phone and note. All from
 * the operations on the device, so it works offline and reads as the server's
 * list once synced.
 */
export function SuppliersCard({ db, context, view }: { db: BazaarDatabase; context: RecordContext; view: StoreView }) {
  const { language, format } = useLanguage();
  const s = receiveStrings[language];
  const suppliers = useMemo(() => supplierBook(view.operations), [view.operations]);
  const owed = suppliers.reduce((sum, a) => sum + Math.max(0, a.owedPaisa), 0);
  const [paying, setPaying] = useState<string | null>(null);
  const [note, setNote] = useState<Note>(null);

  return (
    <details className="card receive-goods" onToggle={() => setNote(null)}>
      <summary>{owed > 0 ? s.suppliersOwed(format.price(owed / 100)) : s.suppliersTitle}</summary>
      {suppliers.length === 0 ? (
        <p className="muted small">{s.noSuppliers}</p>
      ) : (
        <ul className="ledger-statement" data-testid="owed-to-suppliers">
          {suppliers.map((a) => (
            <li key={a.key} className="supplier-row">
              <span>
                {a.name}
                <br />
                <span className="muted small">
                  {s.purchases(a.purchases)}
                  {a.lastInvoice ? ` · ${s.lastInvoice(a.lastInvoice)}` : ''}
                  {a.phone && (
                    <>
                      {' · '}
                      <a href={`tel:+${a.phone}`} dir="ltr">+{a.phone}</a>
                    </>
                  )}
                  {a.note ? ` · ${a.note}` : ''}
                </span>
              </span>
              <span className="supplier-owed">
                <strong>{a.owedPaisa >= 0 ? format.price(a.owedPaisa / 100) : s.paidAhead(format.price(-a.owedPaisa / 100))}</strong>
                {a.owedPaisa > 0 && paying !== a.key && (
                  <button type="button" className="secondary" aria-label={s.payLabel(a.name)} onClick={() => (setPaying(a.key), setNote(null))}>
                    {s.pay}
                  </button>
                )}
              </span>
              {paying === a.key && <PayForm account={a} db={db} context={context} onDone={(n) => (setNote(n), n?.ok ? setPaying(null) : undefined)} onCancel={() => setPaying(null)} />}
            </li>
          ))}
        </ul>
      )}
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'ok' : 'error'}>
          {note.text}
        </p>
      )}
      <SupplierForm db={db} context={context} suppliers={suppliers} />
    </details>
  );
}

function PayForm({ account, db, context, onDone, onCancel }: { account: SupplierAccount; db: BazaarDatabase; context: RecordContext; onDone: (n: Note) => void; onCancel: () => void }) {
  const { language, t, format } = useLanguage();
  const s = receiveStrings[language];
  const [amount, setAmount] = useState(String(account.owedPaisa / 100));
  const [from, setFrom] = useState<'drawer' | 'elsewhere'>('drawer');
  const [reference, setReference] = useState('');
  const value = readNumber(amount);
  const bad = value === null || amountProblem(value) !== null;

  const submit = async () => {
    if (bad) return;
    try {
      await recordOperation(db, context, {
        type: 'supplier_payment',
        supplier: account.name,
        amount: value,
        paid: from,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      onDone({ ok: true, text: s.paymentRecorded(format.price(value), account.name) });
    } catch (err) {
      onDone({ ok: false, text: err instanceof RefusedBeforeQueueing ? t.refusedBeforeQueueing(t.reasons[err.reason]) : (err as Error).message });
    }
  };

  return (
    <form className="supplier-pay" aria-label={s.payLabel(account.name)} onSubmit={(e) => (e.preventDefault(), void submit())}>
      <label>
        {s.amount}
        <input value={amount} inputMode="decimal" autoComplete="off" aria-invalid={bad ? true : undefined} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <fieldset>
        <legend>{s.paid}</legend>
        {(['drawer', 'elsewhere'] as const).map((f) => (
          <label key={f} className="inline">
            <input type="radio" name={`pay-from-${account.key}`} checked={from === f} onChange={() => setFrom(f)} /> {s.paidFrom[f]}
          </label>
        ))}
      </fieldset>
      <label>
        {s.reference}
        <input value={reference} maxLength={64} autoComplete="off" onChange={(e) => setReference(e.target.value)} />
      </label>
      {bad && <p className="field-error">{s.amountProblem}</p>}
      <div className="actions">
        <button type="submit" disabled={bad}>
          {s.recordPayment}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {s.cancel}
        </button>
      </div>
    </form>
  );
}

/** Adds a supplier, or gives a known one (by its name) a phone and a note. */
function SupplierForm({ db, context, suppliers }: { db: BazaarDatabase; context: RecordContext; suppliers: readonly SupplierAccount[] }) {
  const { language, t } = useLanguage();
  const s = receiveStrings[language];
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [text, setText] = useState('');
  const [note, setNote] = useState<Note>(null);
  const badPhone = phone.trim() !== '' && normalizePhone(phone) === null;

  const submit = async () => {
    if (!name.trim() || badPhone) return;
    try {
      await recordOperation(db, context, {
        type: 'supplier',
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(text.trim() ? { note: text.trim() } : {}),
      });
      setNote({ ok: true, text: s.supplierSaved(name.trim()) });
      setName('');
      setPhone('');
      setText('');
    } catch (err) {
      setNote({ ok: false, text: err instanceof RefusedBeforeQueueing ? t.refusedBeforeQueueing(t.reasons[err.reason]) : (err as Error).message });
    }
  };

  return (
    <form className="supplier-edit" aria-label={s.supplierForm} onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{s.supplierForm}</h3>
      <label>
        {s.supplierName}
        <input value={name} list="suppliers-edit-known" maxLength={120} autoComplete="off" onChange={(e) => (setName(e.target.value), setNote(null))} />
        <datalist id="suppliers-edit-known">
          {suppliers.map((a) => (
            <option key={a.key} value={a.name} />
          ))}
        </datalist>
      </label>
      <label>
        {s.phone}
        <input value={phone} type="tel" autoComplete="off" placeholder="03xx-xxxxxxx" aria-invalid={badPhone ? true : undefined} onChange={(e) => setPhone(e.target.value)} />
      </label>
      {badPhone && <p className="field-error">{t.reasons.invalid_phone}</p>}
      <label>
        {s.supplierNote}
        <input value={text} maxLength={500} autoComplete="off" onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="secondary" disabled={!name.trim() || badPhone}>
        {s.saveSupplier}
      </button>
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'ok' : 'error'}>
          {note.text}
        </p>
      )}
    </form>
  );
}
