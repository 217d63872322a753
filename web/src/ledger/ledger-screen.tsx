import { useMemo, useState, type FormEvent } from 'react';
import { receiptMethods, type ReceiptMethod, type SaleOperation } from '@bazaar/shared';
import type { BazaarDatabase } from '../db/database';
import { recordOperation, type RecordContext } from '../db/record';
import type { StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import { findCustomer, reminderLink, type BookAccount } from './book';
import { ledgerStrings } from './ledger-strings';
import { typedRupees, useRecording } from './recording';
import './ledger.css';

interface Props {
  db: BazaarDatabase;
  view: StoreView;
  context: RecordContext;
  storeName: string;
  /** Owners set credit limits; at the counter a limit is only shown. */
  maySetLimit: boolean;
  book: BookAccount[];
  /** A credit sale chosen from a statement: a return is taken against it on the Sell tab (SPEC.md R12). */
  onReturnFrom?: ((sale: SaleOperation) => void) | undefined;
}

/**
 * The udhaar book: customers by who has owed longest, each with a statement,
 * a payment to record and a reminder to send. Customers and payments are
 * operations, queued like sales, so all of it works offline.
 */
export default function LedgerScreen(props: Props) {
  const { language, format } = useLanguage();
  const s = ledgerStrings[language];
  const { book } = props;
  const [query, setQuery] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const open = openId ? book.find((a) => a.id === openId || a.ids.includes(openId)) : undefined;
  const money = (paisa: number) => format.price(paisa / 100);
  const owing = book.filter((a) => a.balancePaisa > 0);

  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    const digits = q.replace(/\D/g, '').replace(/^0/, '');
    return q ? book.filter((a) => a.name.toLocaleLowerCase().includes(q) || (digits.length >= 3 && a.phone?.includes(digits))) : book;
  }, [book, query]);

  if (open) return <CustomerPage {...props} account={open} onBack={() => setOpenId(null)} />;
  return (
    <main className="ledger">
      <h2>{s.title}</h2>
      <p className="ledger-total">{s.totalOwed(money(owing.reduce((sum, a) => sum + a.balancePaisa, 0)), owing.length)}</p>
      <label className="search">
        <span>{s.search}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      {book.length === 0 ? (
        <p className="muted">{s.none}</p>
      ) : shown.length === 0 ? (
        <p className="muted">{s.noMatch}</p>
      ) : (
        <ul className="ledger-list">
          {shown.map((a) => (
            <li key={a.id}>
              <button type="button" className="ledger-row" data-customer={a.id} onClick={() => setOpenId(a.id)}>
                <span className="ledger-who">
                  <strong>{a.name}</strong>
                  {a.phone && <span className="muted small"><bdi dir="ltr">+{a.phone}</bdi></span>}
                </span>
                <span className="ledger-owed">
                  <Balance account={a} money={money} />
                  {a.owedSince && <span className="muted small">{s.since(format.time(a.owedSince))}</span>}
                  {a.pending && <span className="badge-inline">{s.notSynced}</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <AddCustomer {...props} onAdded={setOpenId} />
    </main>
  );
}

function Balance({ account, money }: { account: BookAccount; money: (paisa: number) => string }) {
  const s = ledgerStrings[useLanguage().language];
  if (account.balancePaisa > 0) return <span className="owes">{s.owes(money(account.balancePaisa))}</span>;
  if (account.balancePaisa < 0) return <span className="ok">{s.advance(money(-account.balancePaisa))}</span>;
  return <span className="muted">{s.settled}</span>;
}

function AddCustomer(props: Props & { onAdded: (id: string) => void }) {
  const s = ledgerStrings[useLanguage().language];
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [limit, setLimit] = useState('');
  const { run, notes } = useRecording();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const already = phone.trim() ? findCustomer(props.book, '', phone) : undefined;
    if (already) {
      props.onAdded(already.id);
      return;
    }
    const customerId = crypto.randomUUID();
    const done = await run(async () => {
      await recordOperation(props.db, props.context, {
        type: 'customer',
        customerId,
        name,
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(props.maySetLimit && limit.trim() ? { creditLimit: typedRupees(limit) } : {}),
      });
      return s.added(name.trim());
    });
    if (done) {
      setName('');
      setPhone('');
      setLimit('');
    }
  };
  return (
    <form className="card ledger-form" onSubmit={(e) => void submit(e)}>
      <h3>{s.addCustomer}</h3>
      <label>
        {s.name}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="off" />
      </label>
      <label>
        {s.phone}
        <input type="tel" inputMode="tel" dir="ltr" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" />
      </label>
      {props.maySetLimit && (
        <LimitField value={limit} onChange={setLimit} />
      )}
      <button type="submit" className="primary">{s.add}</button>
      {notes}
    </form>
  );
}

function CustomerPage(props: Props & { account: BookAccount; onBack: () => void }) {
  const { language, format } = useLanguage();
  const s = ledgerStrings[language];
  const a = props.account;
  const money = (paisa: number) => format.price(paisa / 100);
  const saleOf = (id: string) => props.view.operations.find((op): op is SaleOperation & (typeof props.view.operations)[number] => op.id === id && op.type === 'sale');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<ReceiptMethod>('cash');
  const [reference, setReference] = useState('');
  const { run, notes } = useRecording();
  const receive = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(async () => {
      const rupees = typedRupees(amount);
      await recordOperation(props.db, props.context, {
        type: 'credit_payment',
        customerId: a.id,
        amount: rupees,
        method,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      return s.recorded(format.price(rupees));
    });
    if (done) {
      setAmount('');
      setReference('');
    }
  };
  return (
    <main className="ledger">
      <button type="button" className="link-button" onClick={props.onBack}>
        {s.back}
      </button>
      <section className="card ledger-account" aria-label={a.name}>
        <h2>{a.name}</h2>
        {a.phone && <p className="muted"><bdi dir="ltr">+{a.phone}</bdi></p>}
        <p className="ledger-balance">
          <Balance account={a} money={money} />
          {a.owedSince && <span className="muted"> {s.since(format.time(a.owedSince))}</span>}
        </p>
        {a.creditLimit !== null && <p className="muted small">{s.limit(format.price(a.creditLimit))}</p>}
        {a.phone && a.balancePaisa > 0 && (
          <a className="button secondary" href={reminderLink(a.phone, s.reminder(a.name, money(a.balancePaisa), props.storeName))} target="_blank" rel="noreferrer">
            {s.remind}
          </a>
        )}
      </section>
      {props.maySetLimit && <LimitForm {...props} account={a} />}
      <form className="card ledger-form" onSubmit={(e) => void receive(e)}>
        <h3>{s.receivePayment}</h3>
        <label>
          {s.amount}
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          {s.method}
          <select value={method} onChange={(e) => setMethod(e.target.value as ReceiptMethod)}>
            {receiptMethods.map((m) => (
              <option key={m} value={m}>
                {s.methods[m]}
              </option>
            ))}
          </select>
        </label>
        {method !== 'cash' && (
          <label>
            {s.reference}
            <input value={reference} onChange={(e) => setReference(e.target.value)} maxLength={64} autoComplete="off" dir="ltr" />
          </label>
        )}
        <button type="submit" className="primary">{s.record}</button>
        {notes}
      </form>
      <section className="card">
        <h3>{s.statement}</h3>
        {a.entries.length === 0 ? (
          <p className="muted">{s.noEntries}</p>
        ) : (
          <ul className="ledger-statement">
            {a.entries.map(({ entry, synced }) => (
              <li key={entry.operationId} data-kind={entry.kind}>
                <span>
                  {s.kinds[entry.kind]} <span className="muted small">{format.time(entry.at)}</span>
                  {!synced && <span className="badge-inline"> · {s.notSynced}</span>}
                </span>
                <span className={entry.amountPaisa > 0 ? 'owes' : 'ok'} dir="ltr">{(entry.amountPaisa > 0 ? '+' : '−') + money(Math.abs(entry.amountPaisa))}</span>
                {entry.kind === 'credit_sale' && props.onReturnFrom && saleOf(entry.operationId) && (
                  <button type="button" className="link-button" onClick={() => props.onReturnFrom!(saleOf(entry.operationId)!)}>
                    {s.returnItems}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

/** An owner's credit limit for a customer: an edit of the customer, queued like any (SPEC.md L2). */
function LimitForm(props: Props & { account: BookAccount }) {
  const { language, format } = useLanguage();
  const s = ledgerStrings[language];
  const a = props.account;
  const [limit, setLimit] = useState(a.creditLimit === null ? '' : String(a.creditLimit));
  const { run, notes } = useRecording();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (limit.trim() !== '' && limit.trim() === String(a.creditLimit)) return;
    await run(async () => {
      const creditLimit = limit.trim() === '' ? null : typedRupees(limit);
      await recordOperation(props.db, props.context, { type: 'customer', customerId: a.id, name: a.name, creditLimit });
      return creditLimit === null ? s.noLimitSet : s.limitSet(format.price(creditLimit));
    });
  };
  return (
    <form className="card ledger-form" onSubmit={(e) => void save(e)}>
      <LimitField value={limit} onChange={setLimit} />
      <button type="submit" className="secondary">{s.saveLimit}</button>
      {notes}
    </form>
  );
}

/** A credit limit in rupees, as typed (checked when recorded). */
function LimitField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const s = ledgerStrings[useLanguage().language];
  return (
    <label>
      {s.creditLimit}
      <input inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
    </label>
  );
}
