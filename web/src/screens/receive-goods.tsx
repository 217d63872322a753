import { useMemo, useState } from 'react';
import { linesTotal, packProblem, purchasePaidFrom, supplierBook, type PurchaseLine, type PurchasePaid } from '@bazaar/shared';
import { readNumber, typedPriceProblem, typedQuantityProblem } from '../components/amounts';
import { recordOperation, RefusedBeforeQueueing, type RecordContext } from '../db/record';
import type { BazaarDatabase } from '../db/database';
import { productMatcher, type StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import { receiveStrings } from './receive-strings';
import '../ledger/ledger.css';

/** One invoice line as typed: the boxes keep what was typed; by the carton they count cartons at a cost per carton. */
interface Entry {
  productId: string;
  quantity: string;
  cost: string;
  packSize?: number;
}

const MAX_MATCHES = 5;

/** A typed line the server would accept (SPEC.md R10, R13), or null. */
function readLine(e: Entry): PurchaseLine | null {
  if (typedQuantityProblem(e.quantity) || typedPriceProblem(e.cost)) return null;
  const line: PurchaseLine = { productId: e.productId, quantity: readNumber(e.quantity)!, unitCost: readNumber(e.cost)!, ...(e.packSize ? { packSize: e.packSize } : {}) };
  return packProblem(line) ? null : line;
}

/**
 * A supplier's invoice received in one purchase (issue 12): several lines,
 * each by the piece or the carton at its own cost, the invoice number, and how
 * it was paid. Paid from the drawer, the day book counts it out of the cash
 * the close expects; owed, it adds to what the shop owes that supplier.
 */
export function ReceiveGoods({ db, context, view }: { db: BazaarDatabase; context: RecordContext; view: StoreView }) {
  const { language, t, format } = useLanguage();
  const s = receiveStrings[language];
  const [supplier, setSupplier] = useState('');
  const [invoice, setInvoice] = useState('');
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [paid, setPaid] = useState<PurchasePaid>('drawer');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const suppliers = useMemo(() => supplierBook(view.operations), [view.operations]);

  const matches = useMemo(() => {
    if (query.trim() === '') return [];
    const matching = productMatcher(query);
    return view.items.filter((i) => !i.retired && matching(i.product) && !entries.some((e) => e.productId === i.product.id)).slice(0, MAX_MATCHES);
  }, [view.items, query, entries]);
  const lines = entries.map(readLine);
  const valid = lines.every((l) => l !== null);
  const total = valid ? linesTotal((lines as PurchaseLine[]).map((l) => ({ quantity: l.quantity, price: l.unitCost }))) : null;
  const why = entries.length === 0 ? s.noLines : !valid ? s.fixLines : paid === 'owed' && supplier.trim() === '' ? s.supplierNeeded : null;
  const nameOf = (id: string) => view.byId.get(id)?.product.nameEn ?? id.slice(0, 8);
  const edit = (productId: string, change: Partial<Entry>) => setEntries((c) => c.map((e) => (e.productId === productId ? { ...e, ...change } : e)));

  const submit = async () => {
    if (why || total === null) return;
    try {
      await recordOperation(db, context, {
        type: 'purchase',
        lines: lines as PurchaseLine[],
        paid,
        ...(supplier.trim() ? { supplier: supplier.trim() } : {}),
        ...(invoice.trim() ? { invoiceRef: invoice.trim() } : {}),
      });
      setNote({ ok: true, text: s.recorded(format.price(total)) });
      setEntries([]);
      setInvoice('');
    } catch (err) {
      setNote({ ok: false, text: err instanceof RefusedBeforeQueueing ? t.refusedBeforeQueueing(t.reasons[err.reason]) : (err as Error).message });
    }
  };

  return (
    <details className="card receive-goods" onToggle={() => setNote(null)}>
      <summary>{s.receiveGoods}</summary>
      <form aria-label={s.receiveGoods} onSubmit={(e) => (e.preventDefault(), void submit())}>
        <label>
          {s.supplier}
          <input value={supplier} list="suppliers-known" autoComplete="off" onChange={(e) => setSupplier(e.target.value)} />
          <datalist id="suppliers-known">
            {suppliers.map((a) => (
              <option key={a.name} value={a.name} />
            ))}
          </datalist>
        </label>
        <label>
          {s.invoice}
          <input value={invoice} autoComplete="off" onChange={(e) => setInvoice(e.target.value)} />
        </label>
        <label>
          {s.findProduct}
          <input type="search" placeholder={t.searchHint} value={query} autoComplete="off" onChange={(e) => setQuery(e.target.value)} />
        </label>
        {matches.length > 0 && (
          <ul className="receive-matches">
            {matches.map((item) => (
              <li key={item.product.id}>
                <button
                  type="button"
                  className="secondary"
                  aria-label={s.addLine(item.product.nameEn)}
                  onClick={() => {
                    setEntries((c) => [...c, { productId: item.product.id, quantity: '', cost: '' }]);
                    setQuery('');
                    setNote(null);
                  }}
                >
                  {item.product.nameEn} <span className="muted small">{item.product.sku}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {entries.length === 0 ? (
          <p className="muted small">{s.noLines}</p>
        ) : (
          <ul className="receive-lines">
            {entries.map((e, i) => {
              const name = nameOf(e.productId);
              const packSize = view.byId.get(e.productId)?.product.packSize ?? 1;
              const line = lines[i];
              return (
                <li key={e.productId} className="receive-line">
                  <span className="cart-name">
                    {name}
                    {packSize > 1 && (
                      <button
                        type="button"
                        className="pack-toggle"
                        aria-pressed={e.packSize !== undefined}
                        aria-label={t.cartonOf(name, format.quantity(packSize))}
                        onClick={() => edit(e.productId, { packSize: e.packSize ? undefined : packSize })}
                      >
                        {t.byCarton(format.quantity(packSize))}
                      </button>
                    )}
                  </span>
                  <label>
                    {e.packSize ? t.cartonCount : t.quantity}
                    <input inputMode="decimal" autoComplete="off" aria-label={s.quantity(name)} aria-invalid={e.quantity !== '' && !line ? true : undefined} value={e.quantity} onChange={(ev) => edit(e.productId, { quantity: ev.target.value })} />
                  </label>
                  <label>
                    {e.packSize ? s.perCarton : s.perPiece}
                    <input inputMode="decimal" autoComplete="off" aria-label={s.cost(name)} aria-invalid={e.cost !== '' && typedPriceProblem(e.cost) ? true : undefined} value={e.cost} onChange={(ev) => edit(e.productId, { cost: ev.target.value })} />
                  </label>
                  <span className="line-total">{line ? format.price(linesTotal([{ quantity: line.quantity, price: line.unitCost }])) : '—'}</span>
                  <button type="button" className="link-button" aria-label={t.remove(name)} onClick={() => setEntries((c) => c.filter((x) => x.productId !== e.productId))}>
                    ✕
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <fieldset className="payment">
          <legend>{s.paid}</legend>
          {purchasePaidFrom.map((m) => (
            <label key={m} className="inline">
              <input type="radio" name="purchase-paid" checked={paid === m} onChange={() => setPaid(m)} />
              {s.paidFrom[m]}
            </label>
          ))}
        </fieldset>
        <p className="total">
          <span>{t.total}</span>
          <strong>{total === null || entries.length === 0 ? '—' : format.price(total)}</strong>
        </p>
        <button type="submit" className="primary" disabled={why !== null} aria-describedby={why ? 'receive-why' : undefined}>
          {s.record}
        </button>
        {why && entries.length > 0 && (
          <p id="receive-why" className="muted small">
            {why}
          </p>
        )}
        {note && (
          <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'ok' : 'error'}>
            {note.text}
          </p>
        )}
      </form>
    </details>
  );
}
