import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { adjustmentReasons, mayPush, type AdjustmentReason, type SessionUser } from '@bazaar/shared';
import { readNumber } from '../components/amounts';
import { NumberField, numberProblem, useNumberProblem } from '../components/number-field';
import { inPacks } from '../components/packs';
import { ProductNames } from '../components/product-names';
import { UnsyncedMark } from '../components/unsynced-mark';
import type { BazaarDatabase } from '../db/database';
import { recordOperation, RefusedBeforeQueueing, type NewOperation, type RecordContext } from '../db/record';
import { productMatcher, type StoreItem, type StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import type { Strings } from '../i18n/strings';
import { AlertsPanel } from './alerts-panel';
import { ReceiveGoods } from './receive-goods';
import { SuppliersCard } from './suppliers-card';

const MAX_ROWS = 100;

/**
 * Every product of the store with its projected quantity, low stock first.
 * Owners receive purchases, adjust, count and set prices here; shopkeepers
 * see the figures only (the permission matrix, shared with the server).
 */
export function StockScreen(props: {
  db: BazaarDatabase;
  view: StoreView;
  context: RecordContext;
  user: SessionUser;
  openProductId: string | null;
  onOpen: (productId: string | null) => void;
}) {
  const { view, openProductId, onOpen } = props;
  const { t, format } = useLanguage();
  const [query, setQuery] = useState('');

  const rows = useMemo(() => {
    // A retired product stays while the shelf still holds some (to count or write off), then leaves the list.
    const matching = productMatcher(query);
    const found = view.items.filter((i) => (!i.retired || i.quantity !== 0 || i.unsynced > 0) && matching(i.product));
    // Low stock first, the emptiest shelves at the top; then by name (the items come sorted by name).
    found.sort((a, b) => Number(b.low) - Number(a.low) || (a.low && b.low ? a.quantity - b.quantity : 0));
    return found.slice(0, MAX_ROWS);
  }, [view.items, query]);

  return (
    <main className="stock-screen">
      <h2>{t.stockTitle}</h2>
      <AlertsPanel db={props.db} view={view} onOpen={onOpen} />
      {mayPush(props.user, 'purchase', props.context.storeId) && <ReceiveGoods db={props.db} context={props.context} view={view} />}
      {mayPush(props.user, 'supplier_payment', props.context.storeId) && <SuppliersCard db={props.db} context={props.context} view={view} />}
      <label className="search">
        <span>{t.search}</span>
        <input type="search" placeholder={t.searchHint} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      {!view.loaded ? (
        <p className="muted">{t.loading}</p>
      ) : (
        <ul className="stock-list">
          {rows.map((item) => (
            <li key={item.product.id} className={`stock-row ${item.low ? 'stock-low' : ''}`} data-sku={item.product.sku}>
              <button
                type="button"
                className="stock-summary"
                aria-expanded={openProductId === item.product.id}
                aria-label={t.open(item.product.nameEn)}
                onClick={() => onOpen(openProductId === item.product.id ? null : item.product.id)}
              >
                <ProductNames product={item.product} />
                <span className="product-figures">
                  <span className="quantity">{format.quantity(item.quantity)}</span>
                  {inPacks(item.quantity, item.product, t, format) && <span className="packs muted small">{inPacks(item.quantity, item.product, t, format)}</span>}
                  <UnsyncedMark item={item} />
                  {item.low && <span className="low-badge">{t.lowStock}</span>}
                  {item.retired && <span className="retired-badge">{t.retiredProduct}</span>}
                  {item.reorderLevel !== null && <span className="muted small">{t.reorderAt(format.quantity(item.reorderLevel))}</span>}
                  <span className="price small">{format.price(item.price)}</span>
                </span>
              </button>
              {openProductId === item.product.id && <ProductPanel {...props} item={item} />}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

function ProductPanel({ db, context, user, item }: { db: BazaarDatabase; context: RecordContext; user: SessionUser; item: StoreItem }) {
  const { t, format } = useLanguage();
  const may = (type: NewOperation['type']) => mayPush(user, type, context.storeId);
  const record = (op: NewOperation) => recordOperation(db, context, op);
  return (
    <div className="product-panel" role="region" aria-label={item.product.nameEn}>
      {may('purchase') && <PurchaseForm item={item} record={record} />}
      {may('adjustment') && <AdjustForm item={item} record={record} />}
      {may('count') && <CountForm item={item} record={record} />}
      {may('store_product_update') && <SettingsForm item={item} record={record} />}
      {!may('purchase') && <p className="muted">{t.inStock(format.quantity(item.quantity))}</p>}
    </div>
  );
}

type Record = (op: NewOperation) => Promise<unknown>;

/** A small form that records one operation and says so, or says what is wrong and records nothing. */
function OperationForm(props: {
  title: string;
  submit: string;
  children: ReactNode;
  build: () => NewOperation | string;
  record: Record;
  onDone?: () => void;
  /** What the fields hold that the server would refuse: the button waits, and says why. */
  problem?: string | null;
}) {
  const { t } = useLanguage();
  const whyId = useId();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const op = props.build();
    if (typeof op === 'string') return setNote({ ok: false, text: op });
    try {
      await props.record(op);
      setNote({ ok: true, text: t.recorded });
      props.onDone?.();
    } catch (err) {
      setNote({ ok: false, text: err instanceof RefusedBeforeQueueing ? t.refusedBeforeQueueing(t.reasons[err.reason]) : (err as Error).message });
    }
  };
  return (
    <form className="op-form" onSubmit={(e) => void onSubmit(e)} aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.children}
      <button type="submit" className="primary" disabled={Boolean(props.problem)} aria-describedby={props.problem ? whyId : undefined}>
        {props.submit}
      </button>
      {props.problem && (
        <p id={whyId} className="muted small">
          {t.fixFigures}
        </p>
      )}
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'ok' : 'error'}>
          {note.text}
        </p>
      )}
    </form>
  );
}

/** A typed number the server accepts (SPEC.md R10), or a message saying what is wrong with it. */
function parseQuantity(raw: string, t: Strings, rule: 'positive' | 'nonzero' | 'nonnegative'): number | string {
  return numberProblem(t, raw, rule) ?? readNumber(raw)!;
}
function parsePrice(raw: string, t: Strings): number | string {
  return numberProblem(t, raw, 'price') ?? readNumber(raw)!;
}

function PurchaseForm({ item, record }: { item: StoreItem; record: Record }) {
  const { t, format } = useLanguage();
  const [quantity, setQuantity] = useState('');
  const [unitCost, setUnitCost] = useState('');
  const [supplier, setSupplier] = useState('');
  // Bought by the carton: the quantity counts cartons and the cost is per carton (SPEC.md R13).
  const packSize = item.product.packSize;
  const [byCarton, setByCarton] = useState(false);
  const pack = byCarton && packSize > 1 ? { packSize } : {};
  const problemOf = useNumberProblem();
  return (
    <OperationForm
      problem={problemOf(quantity, 'positive') ?? problemOf(unitCost, 'price')}
      title={t.receivePurchase}
      submit={t.savePurchase}
      record={record}
      onDone={() => setQuantity('')}
      build={() => {
        const q = parseQuantity(quantity, t, 'positive');
        const cost = parsePrice(unitCost, t);
        if (typeof q === 'string') return q;
        if (typeof cost === 'string') return cost;
        return { type: 'purchase', lines: [{ productId: item.product.id, quantity: q, unitCost: cost, ...pack }], ...(supplier.trim() ? { supplier: supplier.trim() } : {}) };
      }}
    >
      {packSize > 1 && (
        <label className="inline">
          <input type="checkbox" checked={byCarton} onChange={(e) => setByCarton(e.target.checked)} />
          {t.byCarton(format.quantity(packSize))}
        </label>
      )}
      <NumberField label={byCarton ? t.cartonCount : t.quantity} value={quantity} onChange={setQuantity} rule="positive" />
      <NumberField label={byCarton ? t.costPerCarton : t.unitCost} value={unitCost} onChange={setUnitCost} rule="price" />
      <label>
        {t.supplier}
        <input value={supplier} onChange={(e) => setSupplier(e.target.value)} />
      </label>
    </OperationForm>
  );
}

function AdjustForm({ item, record }: { item: StoreItem; record: Record }) {
  const { t } = useLanguage();
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState<AdjustmentReason>('damage');
  const problemOf = useNumberProblem();
  return (
    <OperationForm
      problem={problemOf(quantity, 'nonzero')}
      title={t.adjust}
      submit={t.saveAdjustment}
      record={record}
      onDone={() => setQuantity('')}
      build={() => {
        const q = parseQuantity(quantity, t, 'nonzero');
        if (typeof q === 'string') return q;
        return { type: 'adjustment', lines: [{ productId: item.product.id, quantity: q }], reason };
      }}
    >
      <NumberField label={t.adjustQuantity} value={quantity} onChange={setQuantity} rule="nonzero" />
      <label>
        {t.reason}
        <select value={reason} onChange={(e) => setReason(e.target.value as AdjustmentReason)}>
          {adjustmentReasons.map((r) => (
            <option key={r} value={r}>
              {t.adjustmentReasons[r]}
            </option>
          ))}
        </select>
      </label>
    </OperationForm>
  );
}

/**
 * A count is "I counted c when the record said q at version v". The version
 * is taken when the owner starts counting the shelf, not when the figure is
 * saved: what was sold or received meanwhile is kept on top (SPEC.md R4).
 */
function CountForm({ item, record }: { item: StoreItem; record: Record }) {
  const { t, format } = useLanguage();
  const [base, setBase] = useState<{ version: number; quantity: number } | null>(null);
  const [counted, setCounted] = useState('');
  const [recorded, setRecorded] = useState(false);
  const problemOf = useNumberProblem();
  if (!base) {
    return (
      <div className="op-form">
        <h3>{t.count}</h3>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setRecorded(false);
            setBase({ version: item.stock?.version ?? 0, quantity: item.stock?.quantity ?? 0 });
          }}
        >
          {t.startCount}
        </button>
        {recorded && (
          <p role="status" className="ok">
            {t.recorded}
          </p>
        )}
      </div>
    );
  }
  return (
    <OperationForm
      problem={problemOf(counted, 'nonnegative')}
      title={t.count}
      submit={t.saveCount}
      record={record}
      onDone={() => {
        setCounted('');
        setBase(null);
        setRecorded(true);
      }}
      build={() => {
        const c = parseQuantity(counted, t, 'nonnegative');
        if (typeof c === 'string') return c;
        return { type: 'count', lines: [{ productId: item.product.id, countedQuantity: c, baseVersion: base.version }] };
      }}
    >
      <p className="muted small">{t.countBase(format.quantity(base.quantity), base.version)}</p>
      <NumberField label={t.countedQuantity} value={counted} onChange={setCounted} rule="nonnegative" />
    </OperationForm>
  );
}

/** An owner's price and reorder level, optimistic on the version this device last saw (SPEC.md R5). */
function SettingsForm({ item, record }: { item: StoreItem; record: Record }) {
  const { t } = useLanguage();
  const [price, setPrice] = useState(item.storeProduct?.price != null ? String(item.storeProduct.price) : '');
  const [reorder, setReorder] = useState(item.reorderLevel !== null ? String(item.reorderLevel) : '');
  const problemOf = useNumberProblem();
  return (
    <OperationForm
      problem={problemOf(price, 'price', true) ?? problemOf(reorder, 'nonnegative', true)}
      title={t.storeSettings}
      submit={t.saveSettings}
      record={record}
      build={() => {
        // Empty means "none": the catalog price, no reorder level.
        const newPrice = price.trim() === '' ? null : parsePrice(price, t);
        const newReorder = reorder.trim() === '' ? null : parseQuantity(reorder, t, 'nonnegative');
        if (typeof newPrice === 'string') return newPrice;
        if (typeof newReorder === 'string') return newReorder;
        const changes: { price?: number | null; reorderLevel?: number | null } = {};
        if (newPrice !== (item.storeProduct?.price ?? null)) changes.price = newPrice;
        if (newReorder !== item.reorderLevel) changes.reorderLevel = newReorder;
        if (Object.keys(changes).length === 0) return t.nothingChanged;
        return { type: 'store_product_update', productId: item.product.id, baseVersion: item.storeProduct?.version ?? 0, changes };
      }}
    >
      <NumberField label={t.storePrice} value={price} onChange={setPrice} rule="price" optional placeholder={String(item.product.defaultPrice)} />
      <NumberField label={t.reorderLevel} value={reorder} onChange={setReorder} rule="nonnegative" optional />
    </OperationForm>
  );
}
