import { useEffect, useRef, useState, type FormEvent } from 'react';
import { closeFigures, dayCloses, toPaisa, type CashPaidOut, type DayBook } from '@bazaar/shared';
import type { BazaarDatabase } from '../db/database';
import { recordOperation, type RecordContext } from '../db/record';
import type { StoreView } from '../db/store-view';
import { NumberField } from '../components/number-field';
import { useLanguage } from '../i18n/language';
import { ledgerStrings } from './ledger-strings';
import { typedRupees, useRecording } from './recording';

interface Props {
  db: BazaarDatabase;
  context: RecordContext;
  view: StoreView;
  /** The day shown, YYYY-MM-DD. */
  day: string;
  book: DayBook;
}

/** A payout as typed: kept as text until the close is recorded. */
interface TypedPayout {
  key: number;
  amount: string;
  note: string;
}

/**
 * The day's close (SPEC.md C1-C3): the cash counted against what the day's
 * records expect. The standing close and its corrections are shown above the
 * form; a difference is flagged to the owner by the server. Offline like the
 * rest of the day book: the close is an operation, queued like a sale.
 */
export function CashCloseCard(props: Props) {
  const { language, format } = useLanguage();
  const s = ledgerStrings[language];
  const money = (paisa: number) => format.price(paisa / 100);
  const closes = dayCloses(props.view.operations, props.context.storeId, props.day);
  const standing = closes.at(-1);
  const [float, setFloat] = useState('');
  const [counted, setCounted] = useState('');
  const [payouts, setPayouts] = useState<TypedPayout[]>([]);
  const { run, notes } = useRecording();
  // A correction usually changes the count alone: start it from the standing close's float and payouts, unless something is typed.
  const startedFrom = useRef<string | null>(null);
  useEffect(() => {
    if (!standing || startedFrom.current === standing.id) return;
    startedFrom.current = standing.id;
    if (float.trim() !== '' || payouts.length > 0) return;
    setFloat(String(standing.openingFloat));
    setPayouts(standing.paidOut.map((p, key) => ({ key, amount: String(p.amount), note: p.note })));
  }, [standing, float, payouts.length]);

  // What the form would record, worked out as it is typed; a box that is not a number yet counts as nothing.
  const rupees = (typed: string) => {
    const value = Number(typed.replace(/,/g, '').trim());
    return Number.isFinite(value) ? value : 0;
  };
  const draft = closeFigures({
    openingFloat: rupees(float),
    cashIn: props.book.cashInPaisa / 100,
    paidOut: payouts.map((p) => ({ amount: rupees(p.amount), note: p.note })),
    counted: rupees(counted),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(async () => {
      const paidOut: CashPaidOut[] = payouts
        .filter((p) => p.amount.trim() !== '' || p.note.trim() !== '')
        .map((p) => ({ amount: typedRupees(p.amount), note: p.note.trim() || s.payoutUnnamed }));
      await recordOperation(props.db, props.context, {
        type: 'cash_close',
        day: props.day,
        openingFloat: float.trim() === '' ? 0 : typedRupees(float),
        cashIn: props.book.cashInPaisa / 100,
        paidOut,
        counted: typedRupees(counted),
      });
      return s.closeRecorded;
    });
    if (done) setCounted('');
  };

  return (
    <section className="card cash-close" aria-label={s.closeTitle}>
      <h3>{s.closeTitle}</h3>
      {closes.length > 0 && (
        <ol className="ledger-statement closes" data-testid="closes">
          {closes.map((close, i) => {
            const f = closeFigures(close);
            return (
              <li key={close.id} data-testid={close === standing ? 'close-standing' : undefined}>
                <span>
                  {i === 0 ? s.closed : s.correction(i)} · {format.time(close.createdAt)}
                  {close.outcome === undefined && <span className="muted"> · {s.notSynced}</span>}
                  <br />
                  <span className="muted small">
                    {s.countedAgainst(money(f.countedPaisa), money(f.expectedPaisa))}
                    {f.paidOutPaisa > 0 && ` · ${s.paidOutTotal(money(f.paidOutPaisa))}`}
                  </span>
                </span>
                <Difference paisa={f.differencePaisa} money={money} testId={close === standing ? 'close-difference' : undefined} />
              </li>
            );
          })}
        </ol>
      )}
      {standing && toPaisa(standing.cashIn) !== props.book.cashInPaisa && (
        // Records from other phones synced after the close: the owner sees what the day expects now.
        <p className="warning" data-testid="close-changed">
          {s.sinceClose(money(closeFigures({ ...standing, cashIn: props.book.cashInPaisa / 100 }).expectedPaisa))}
        </p>
      )}
      <form className="ledger-form" onSubmit={(e) => void submit(e)}>
        <NumberField label={s.openingFloat} value={float} onChange={setFloat} rule="price" optional placeholder="0" />
        <fieldset className="payouts">
          <legend>{s.paidOut}</legend>
          {payouts.map((p) => (
            <div key={p.key} className="payout">
              <NumberField label={s.payoutAmount} value={p.amount} rule="price" onChange={(amount) => setPayouts((all) => all.map((x) => (x.key === p.key ? { ...x, amount } : x)))} />
              <label>
                {s.payoutNote}
                <input value={p.note} maxLength={120} autoComplete="off" onChange={(e) => setPayouts((all) => all.map((x) => (x.key === p.key ? { ...x, note: e.target.value } : x)))} />
              </label>
              <button type="button" className="link-button" onClick={() => setPayouts((all) => all.filter((x) => x.key !== p.key))}>
                {s.removePayout}
              </button>
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setPayouts((all) => [...all, { key: Date.now(), amount: '', note: '' }])}>
            {s.addPayout}
          </button>
        </fieldset>
        <p className="close-expected">
          <span>{s.expected}</span>
          <strong data-testid="close-expected">{money(draft.expectedPaisa)}</strong>
        </p>
        <p className="muted small">{s.expectedHint}</p>
        <NumberField label={s.counted} value={counted} onChange={setCounted} rule="price" />
        {counted.trim() !== '' && (
          <p className="close-expected">
            <span>{s.difference}</span>
            <Difference paisa={draft.differencePaisa} money={money} />
          </p>
        )}
        <button type="submit" className="primary">
          {standing ? s.recordCorrection : s.recordClose}
        </button>
        {notes}
      </form>
    </section>
  );
}

function Difference({ paisa, money, testId }: { paisa: number; money: (paisa: number) => string; testId?: string | undefined }) {
  const { language } = useLanguage();
  const s = ledgerStrings[language];
  if (paisa === 0) return <strong className="ok" data-testid={testId}>{s.balanced}</strong>;
  return (
    <strong className={paisa < 0 ? 'owes' : 'warning'} data-testid={testId}>
      {paisa < 0 ? s.short(money(-paisa)) : s.over(money(paisa))}
    </strong>
  );
}
