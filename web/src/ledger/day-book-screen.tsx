import { useMemo, useState } from 'react';
import { countsInBooks, dayBook, linesTotal, OPERATION_PULL_DAYS, receiptMethods, type SaleOperation } from '@bazaar/shared';
import type { BazaarDatabase } from '../db/database';
import type { RecordContext } from '../db/record';
import type { StoreView } from '../db/store-view';
import { lineQuantity } from '../components/packs';
import { CashCloseCard } from './cash-close';
import { useLanguage } from '../i18n/language';
import { ledgerStrings } from './ledger-strings';
import './ledger.css';

/** This phone's local calendar day of an instant, as YYYY-MM-DD: the shop's day is the day where the phone is. */
const localDay = (at: string | number) => {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const DAY_MS = 86_400_000;
const todayNoon = () => new Date().setHours(12, 0, 0, 0);

/**
 * The day book: a day's sales, returns and udhaar received, by how they were
 * paid, the cash they brought into the drawer, and the day's close. From the operations on
 * the phone, every device's once synced, so it reads offline.
 */
export default function DayBookScreen({ db, context, view, onReturnFrom }: { db: BazaarDatabase; context: RecordContext; view: StoreView; onReturnFrom?: ((sale: SaleOperation) => void) | undefined }) {
  const { language, format, t: app } = useLanguage();
  const s = ledgerStrings[language];
  // Noon of the day shown, so stepping a day never lands on the wrong side of a summer-time change.
  const [noon, setNoon] = useState(todayNoon);
  const day = localDay(noon);
  const book = useMemo(() => dayBook(view.operations, (at) => localDay(at) === day), [view.operations, day]);
  const money = (paisa: number) => format.price(paisa / 100);
  // The day's sales, newest first (the operations are), that a return can be taken against.
  const sales = useMemo(
    () => view.operations.filter((op): op is SaleOperation & (typeof view.operations)[number] => op.type === 'sale' && countsInBooks(op) && localDay(op.createdAt) === day),
    [view.operations, day],
  );
  const nameOf = (productId: string) => view.byId.get(productId)?.product.nameEn ?? productId.slice(0, 8);
  const isToday = day === localDay(Date.now());
  // The phone pulls the last OPERATION_PULL_DAYS of sales (SPEC.md P7): an older day would read as a day without any.
  const isOldest = noon - DAY_MS < todayNoon() - (OPERATION_PULL_DAYS - 1) * DAY_MS;
  const row = (label: string, paisa: number, testId?: string) => (
    <li data-testid={testId}>
      <span>{label}</span>
      <strong>{money(paisa)}</strong>
    </li>
  );
  return (
    <main className="ledger day-book">
      <h2>{s.dayBook}</h2>
      <p className="day-shown">{new Intl.DateTimeFormat(language === 'ur' ? 'ur-PK' : 'en-PK', { dateStyle: 'full' }).format(noon)}</p>
      <div className="day-step">
        <button type="button" className="secondary" disabled={isOldest} onClick={() => setNoon((t) => t - DAY_MS)}>
          {s.previousDay}
        </button>
        <button type="button" className="secondary" disabled={isToday} onClick={() => setNoon((t) => t + DAY_MS)}>
          {s.nextDay}
        </button>
      </div>
      {isOldest && <p className="muted small" data-testid="oldest-day">{s.oldestDay(OPERATION_PULL_DAYS)}</p>}
      <section className="card">
        <h3>{s.sales(book.sales.count)}</h3>
        <ul className="ledger-statement">
          {row(s.inCash, book.sales.cashPaisa, 'sales-cash')}
          {row(s.onCredit, book.sales.creditPaisa, 'sales-credit')}
        </ul>
        {onReturnFrom && sales.length > 0 && (
          <details className="day-sales">
            <summary>{s.daySales(sales.length)}</summary>
            <ul className="ledger-statement">
              {sales.map((sale) => (
                <li key={sale.id} data-sale={sale.id}>
                  <span>
                    {format.time(sale.createdAt)} · {format.price(linesTotal(sale.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice }))))}
                    <br />
                    <span className="muted small">{sale.lines.map((l) => `${lineQuantity(l, app, format)} × ${nameOf(l.productId)}`).join(', ')}</span>
                  </span>
                  <button type="button" className="secondary" onClick={() => onReturnFrom(sale)}>
                    {s.returnItems}
                  </button>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section className="card">
        <h3>{s.returns(book.returns.count)}</h3>
        <ul className="ledger-statement">
          {row(s.fromDrawer, book.returns.cashPaisa)}
          {row(s.offUdhaar, book.returns.creditPaisa)}
        </ul>
      </section>
      <section className="card">
        <h3>{s.received}</h3>
        <ul className="ledger-statement">{receiptMethods.map((m) => <li key={m} data-testid={`received-${m}`}><span>{s.methods[m]}</span><strong>{money(book.received[m])}</strong></li>)}</ul>
      </section>
      {book.purchases.count > 0 && (
        <section className="card">
          <h3>{s.purchases(book.purchases.count)}</h3>
          <ul className="ledger-statement">
            {row(s.paidFromDrawer, book.purchases.drawerPaisa, 'purchases-drawer')}
            {row(s.owedToSuppliers, book.purchases.owedPaisa, 'purchases-owed')}
            {row(s.paidElsewhere, book.purchases.elsewherePaisa)}
          </ul>
        </section>
      )}
      {book.supplierPayments.count > 0 && (
        <section className="card">
          <h3>{s.supplierPayments(book.supplierPayments.count)}</h3>
          <ul className="ledger-statement">
            {row(s.paidFromDrawer, book.supplierPayments.drawerPaisa, 'suppliers-paid-drawer')}
            {row(s.paymentsElsewhere, book.supplierPayments.elsewherePaisa)}
          </ul>
        </section>
      )}
      <section className="card">
        <h3>{s.cashIn}</h3>
        <p className="ledger-balance" data-testid="cash-in">{money(book.cashInPaisa)}</p>
        <p className="muted small">{s.cashInHint}</p>
      </section>
      <CashCloseCard key={day} db={db} context={context} view={view} day={day} book={book} />
    </main>
  );
}
