import { useCallback, useEffect, useMemo, useState } from 'react';
import { overLimit, receiptNumber, returnableOnDevice, returnsTooMuch, type HeldOperation, type Payment, type SaleOperation } from '@bazaar/shared';
import { ProductNames } from '../components/product-names';
import { UnsyncedMark } from '../components/unsynced-mark';
import type { BazaarDatabase } from '../db/database';
import { cartTotal, recordOperation, RefusedBeforeQueueing, type RecordContext } from '../db/record';
import { productMatcher, type StoreItem, type StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import { findCustomer, type BookAccount } from '../ledger/book';
import { ledgerStrings } from '../ledger/ledger-strings';
import { BarcodeScanner, canScan } from '../sell/barcode-scanner';
import { addOne, readCart, removeLine, step, togglePack, typed, type CartEntry } from '../sell/cart';
import { inPacks } from '../components/packs';
import { receiptText, whatsAppLink, type Receipt } from '../sell/receipt';
import { fetchReceipt, returnEntries, saleByReceipt, withFetched, type ReceiptMiss } from '../sell/return-from';

const MAX_RESULTS = 60;

type Mode = 'sale' | 'return';

/**
 * The counter: find products, build a cart, record a cash or credit sale (or
 * a return), then share or print the receipt. Everything is written to the
 * local queue first, so it works the same with or without a network.
 */
export function SellScreen(props: {
  db: BazaarDatabase;
  view: StoreView;
  context: RecordContext;
  storeName: string;
  /** The udhaar book: a credit sale goes on the account of the customer typed. */
  book: BookAccount[];
  onCartChange: (busy: boolean) => void;
  /** A sale chosen in the day book: a return is taken against it, at its prices (SPEC.md R12). */
  returnFrom?: SaleOperation | null;
  onReturnTaken?: () => void;
}) {
  const { db, view, context, storeName, book, onCartChange, returnFrom, onReturnTaken } = props;
  const { t, format, language } = useLanguage();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<Mode>('sale');
  const [entries, setEntries] = useState<CartEntry[]>([]);
  const [credit, setCredit] = useState(false);
  const [customer, setCustomer] = useState({ name: '', phone: '' });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [saving, setSaving] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [againstSale, setAgainstSale] = useState<SaleOperation | null>(null);
  // An older sale read from the server by its receipt, and the returns that name it (SPEC.md P7).
  const [fetched, setFetched] = useState<HeldOperation[]>([]);
  const held = useMemo(() => withFetched(view.operations, fetched), [view.operations, fetched]);

  // A sale chosen (elsewhere, or by its receipt's number) becomes this return: what it has left to return, at the prices it was sold at.
  const takeBack = useCallback(
    (sale: SaleOperation, from: readonly HeldOperation[] = view.operations) => {
      const left = returnableOnDevice(sale, from);
      setMode('return');
      setAgainstSale(sale);
      setReceipt(null);
      setMessage(null);
      setEntries(returnEntries(sale, left));
      const account = sale.payment.customerId ? book.find((a) => a.ids.includes(sale.payment.customerId!)) : undefined;
      setCredit(account !== undefined);
      setCustomer(account ? { name: account.name, phone: account.phone ? `+${account.phone}` : '' } : { name: '', phone: '' });
    },
    [view.operations, book],
  );
  useEffect(() => {
    if (!returnFrom) return;
    takeBack(returnFrom);
    onReturnTaken?.();
  }, [returnFrom, takeBack, onReturnTaken]);
  const [receiptNo, setReceiptNo] = useState('');
  const [receiptMiss, setReceiptMiss] = useState<ReceiptMiss | 'looking' | null>(null);
  // On this phone first; a sale older than its history, from the server when online.
  const findReceipt = async () => {
    const sale = saleByReceipt(view.operations, receiptNo);
    if (sale) {
      setReceiptNo('');
      setReceiptMiss(null);
      takeBack(sale);
      return;
    }
    setReceiptMiss('looking');
    const found = await fetchReceipt(context.storeId, receiptNo);
    if ('kind' in found) {
      setReceiptMiss(found);
      return;
    }
    const from = [found.sale, ...found.returns];
    setFetched(from);
    setReceiptNo('');
    setReceiptMiss(null);
    takeBack(found.sale, withFetched(view.operations, from));
  };

  // An app update waits while a cart is open (never in the middle of a sale).
  const cartOpen = entries.length > 0;
  useEffect(() => onCartChange(cartOpen), [cartOpen, onCartChange]);

  // Searched over the catalog, which a sale leaves alone; the rows then take the live items at the same places.
  const found = useMemo(() => {
    const at: number[] = [];
    const matching = productMatcher(query);
    for (let i = 0; i < view.catalog.length && at.length < MAX_RESULTS; i++) {
      const item = view.catalog[i]!;
      if (item.active && matching(item.product)) at.push(i);
    }
    return at;
  }, [view.catalog, query]);
  const matches = useMemo(() => found.map((i) => view.items[i]!), [found, view.items]);

  const packs = (item: StoreItem) => inPacks(item.quantity, item.product, t, format);
  const add = (item: StoreItem) => {
    setMessage(null);
    setReceipt(null);
    setEntries((current) => addOne(current, item.product.id, item.price));
  };
  const onCode = useCallback(
    (code: string) => {
      setScanning(false);
      setQuery(code);
    },
    [setQuery],
  );

  const cart = useMemo(() => readCart(entries), [entries]);
  const total = cartTotal(cart.lines);
  // The customer typed, if the book has them (by number, else by exact name); a new one is made by the sale itself (SPEC.md L1).
  const known = credit ? findCustomer(book, customer.name, customer.phone) : undefined;
  // A sale on credit needs a name; a refund to an account, a customer the book has.
  const needsCustomer = credit && (mode === 'sale' ? customer.name.trim() === '' : !known);
  const valid = cart.valid && !needsCustomer;
  // A disabled button says why.
  const why = entries.length === 0 ? null : !cart.valid ? t.fixCart : needsCustomer ? (mode === 'sale' ? t.customerNeeded : t.customerNotInBook) : null;
  const nameOf = (productId: string) => view.byId.get(productId)?.product.nameEn ?? productId;
  // Taking back more than the chosen sale has left: a warning, never a refusal (it happened at the counter).
  const tooMuch = mode === 'return' && againstSale !== null && returnsTooMuch(returnableOnDevice(againstSale, held), { lines: cart.lines });
  const overTheirLimit = known !== undefined && overLimit(known.balancePaisa, known.creditLimit, Math.round(total * 100));

  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const lines = cart.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, ...(l.packSize ? { packSize: l.packSize } : {}) }));
      const payment: Payment = credit
        ? {
            method: 'credit',
            customerId: known?.id ?? crypto.randomUUID(),
            customer: { name: customer.name.trim(), ...(customer.phone.trim() ? { phone: customer.phone.trim() } : {}) },
          }
        : { method: 'cash' };
      const op =
        mode === 'sale'
          ? await recordOperation(db, context, { type: 'sale', lines, payment })
          : await recordOperation(db, context, {
              type: 'return',
              lines,
              ...(againstSale ? { saleId: againstSale.id } : {}),
              ...(credit && known ? { customerId: known.id } : {}),
            });
      setReceipt({
        operationId: op.id,
        kind: mode,
        storeName,
        at: op.createdAt,
        lines: cart.lines.map((l) => ({ name: nameOf(l.productId), quantity: l.quantity, unitPrice: l.unitPrice, ...(l.packSize ? { packSize: l.packSize } : {}) })),
        ...(mode === 'sale' ? { payment } : {}),
        ...(credit ? { balanceAfter: ((known?.balancePaisa ?? 0) + (mode === 'sale' ? 1 : -1) * Math.round(total * 100)) / 100 } : {}),
      });
      setEntries([]);
      setAgainstSale(null);
      setCredit(false);
      setCustomer({ name: '', phone: '' });
      setMessage(mode === 'sale' ? t.saleRecorded(format.price(total)) : t.returnRecorded(format.price(total)));
    } catch (err) {
      setError(err instanceof RefusedBeforeQueueing ? t.refusedBeforeQueueing(t.reasons[err.reason]) : (err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className="sell">
      <section className="catalog" aria-label={t.tabSell}>
        <div className="search-row">
          <label className="search">
            <span>{t.search}</span>
            <input type="search" placeholder={t.searchHint} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
          </label>
          {canScan && (
            <button type="button" className="secondary" onClick={() => setScanning((s) => !s)}>
              {scanning ? t.stopScan : t.scan}
            </button>
          )}
        </div>
        {scanning && <BarcodeScanner onCode={onCode} onClose={() => setScanning(false)} />}
        {!view.loaded ? (
          <p className="muted">{t.loading}</p>
        ) : matches.length === 0 ? (
          <p className="muted">{t.noMatches}</p>
        ) : (
          <ul className="product-list">
            {matches.map((item) => (
              <li key={item.product.id} className="product" data-sku={item.product.sku}>
                <button type="button" onClick={() => add(item)} aria-label={t.add(item.product.nameEn)}>
                  <ProductNames product={item.product} sku />
                  <span className="product-figures">
                    <span className="price">{format.price(item.price)}</span>
                    <span className={`stock ${item.quantity <= 0 ? 'stock-out' : ''}`}>{t.inStock(format.quantity(item.quantity))}</span>
                    {packs(item) && <span className="packs muted small">{packs(item)}</span>}
                    <UnsyncedMark item={item} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={`cart card ${entries.length > 0 ? 'cart-active' : ''}`} aria-labelledby="cart-title">
        <div className="segmented" role="group" aria-label={t.saleOrReturn}>
          {(['sale', 'return'] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              onClick={() => {
                setMode(m);
                if (m === 'sale') setAgainstSale(null);
              }}
            >
              {m === 'sale' ? t.sale : t.return}
            </button>
          ))}
        </div>
        <h2 id="cart-title">{mode === 'sale' ? t.cart : t.returnCart}</h2>
        {mode === 'return' && !againstSale && (
          <form
            className="receipt-find"
            aria-label={ledgerStrings[language].byReceipt}
            onSubmit={(e) => {
              e.preventDefault();
              void findReceipt();
            }}
          >
            <label>
              {ledgerStrings[language].receiptNumber}
              <input
                value={receiptNo}
                autoComplete="off"
                placeholder="#1a2b3c4d"
                aria-invalid={receiptMiss !== null && receiptMiss !== 'looking' ? true : undefined}
                onChange={(e) => {
                  setReceiptNo(e.target.value);
                  setReceiptMiss(null);
                }}
              />
            </label>
            <button type="submit" className="secondary" disabled={receiptNumber(receiptNo) === null || receiptMiss === 'looking'}>
              {receiptMiss === 'looking' ? ledgerStrings[language].receiptLooking : ledgerStrings[language].findReceipt}
            </button>
            {receiptMiss !== null && receiptMiss !== 'looking' && (
              <p className="field-error" role="alert">
                {receiptMiss.kind === 'not_found'
                  ? ledgerStrings[language].receiptNotFound
                  : receiptMiss.kind === 'offline'
                    ? ledgerStrings[language].receiptOffline
                    : receiptMiss.message}
              </p>
            )}
          </form>
        )}
        {mode === 'return' && againstSale && (
          <p className="return-against" data-testid="return-against">
            {ledgerStrings[language].returnAgainst(format.time(againstSale.createdAt))}{' '}
            <button type="button" className="link-button" onClick={() => setAgainstSale(null)}>
              {ledgerStrings[language].notFromSale}
            </button>
          </p>
        )}
        {entries.length === 0 ? (
          <p className="muted">{t.cartEmpty}</p>
        ) : (
          <ul className="cart-lines">
            {entries.map((entry) => {
              const name = nameOf(entry.productId);
              const packSize = view.byId.get(entry.productId)?.product.packSize ?? 1;
              const problem = cart.problems.get(entry.productId);
              const line = cart.lines.find((l) => l.productId === entry.productId);
              const problemId = `quantity-problem-${entry.productId}`;
              return (
                <li key={entry.productId} className={`cart-line ${problem ? 'cart-line-invalid' : ''}`}>
                  <span className="cart-name">
                    {name}
                    {/* Sold by the carton: the box then counts cartons, at the carton's price. */}
                    {(packSize > 1 || entry.packSize) && (
                      <button
                        type="button"
                        className="pack-toggle"
                        aria-pressed={entry.packSize !== undefined}
                        aria-label={t.cartonOf(name, format.quantity(entry.packSize ?? packSize))}
                        onClick={() => setEntries((c) => togglePack(c, entry.productId, entry.packSize ?? packSize))}
                      >
                        {t.byCarton(format.quantity(entry.packSize ?? packSize))}
                      </button>
                    )}
                  </span>
                  <span className="stepper">
                    <button type="button" aria-label={t.less(name)} onClick={() => setEntries((c) => step(c, entry.productId, -1))}>
                      −
                    </button>
                    {/* Text, not type=number: the box shows exactly what was typed, and nothing is written back while typing. */}
                    <input
                      type="text"
                      inputMode="decimal"
                      autoComplete="off"
                      aria-label={t.quantityOf(name)}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={problem ? problemId : undefined}
                      value={entry.text}
                      onChange={(e) => setEntries((c) => typed(c, entry.productId, e.target.value))}
                    />
                    <button type="button" aria-label={t.more(name)} onClick={() => setEntries((c) => step(c, entry.productId, +1))}>
                      +
                    </button>
                  </span>
                  <span className="line-total">{line ? format.price(cartTotal([line])) : '—'}</span>
                  <button type="button" className="link-button" aria-label={t.remove(name)} onClick={() => setEntries((c) => removeLine(c, entry.productId))}>
                    ✕
                  </button>
                  {problem && (
                    <span id={problemId} className="field-error" role="alert">
                      {t.quantityProblems[problem]}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <fieldset className="payment">
          <legend>{mode === 'sale' ? t.payment : t.refund}</legend>
          <label className="inline">
            <input type="radio" name="payment" checked={!credit} onChange={() => setCredit(false)} />
            {mode === 'sale' ? t.cash : t.refundCash}
          </label>
          <label className="inline">
            <input type="radio" name="payment" checked={credit} onChange={() => setCredit(true)} />
            {mode === 'sale' ? t.credit : t.refundCredit}
          </label>
          {credit && (
            <>
              <label>
                {t.customerName}
                <input
                  value={customer.name}
                  list="udhaar-customers"
                  onChange={(e) => {
                    const name = e.target.value;
                    // Picking a regular from the book brings their number with them.
                    const picked = book.find((a) => a.name === name);
                    setCustomer((c) => ({ name, phone: picked?.phone && !c.phone ? `+${picked.phone}` : c.phone }));
                  }}
                  autoComplete="off"
                />
                <datalist id="udhaar-customers">
                  {book.map((a) => (
                    <option key={a.id} value={a.name} />
                  ))}
                </datalist>
              </label>
              <label>
                {t.customerPhone}
                <input type="tel" inputMode="tel" value={customer.phone} onChange={(e) => setCustomer((c) => ({ ...c, phone: e.target.value }))} autoComplete="off" />
              </label>
              {known && (
                <p className="muted small" data-testid="udhaar-known">
                  {ledgerStrings[language].owes(format.price(known.balancePaisa / 100))}
                </p>
              )}

            </>
          )}
        </fieldset>
        {/* Always in reach: on a phone the total and the button stay at the bottom of the cart while its lines scroll. */}
        <div className="cart-footer">
          {/* Beside the total, where it is seen before the sale is recorded; a warning, never a refusal. */}
          {tooMuch && (
            <p className="warning" role="status">
              {ledgerStrings[language].overReturn}
            </p>
          )}
          {mode === 'sale' && overTheirLimit && (
            <p className="warning" role="status">
              {ledgerStrings[language].overLimit(known.name, format.price(known.creditLimit ?? 0))}
            </p>
          )}
          <p className="total">
            <span>{t.total}</span> <strong>{format.price(total)}</strong>
          </p>
          <button type="button" className="primary" disabled={!valid || saving} aria-describedby={why ? 'record-why' : undefined} onClick={() => void submit()}>
            {mode === 'sale' ? t.recordSale : t.recordReturn}
          </button>
          {why && (
            <p id="record-why" className="muted small">
              {why}
            </p>
          )}
        </div>
        <p role="status" className="sale-message">
          {message}
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {receipt && <ReceiptCard receipt={receipt} />}
      </section>
    </main>
  );
}

function ReceiptCard({ receipt }: { receipt: Receipt }) {
  const { t, format } = useLanguage();
  const text = receiptText(receipt, t, format);
  const phone = receipt.payment?.customer?.phone;
  return (
    <section className="receipt" aria-label={t.receipt}>
      <pre>{text}</pre>
      <div className="receipt-actions">
        <a className="secondary" href={whatsAppLink(text, phone)} target="_blank" rel="noopener noreferrer">
          {t.shareWhatsApp}
        </a>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t.print}
        </button>
      </div>
    </section>
  );
}

