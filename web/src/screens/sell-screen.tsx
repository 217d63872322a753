import { useMemo, useState } from 'react';
import type { Operation, ProductDoc, StockDoc, StoreProductDoc } from '@bazaar/shared';
import type { BazaarDatabase } from '../db/database';
import { projectStock } from '../db/projected-stock';
import { cartTotal, recordSale, type CartLine } from '../db/record-sale';
import { useQueryDocs } from '../db/use-observable';
import { formatPrice, formatQuantity, t } from '../i18n/strings';

const MAX_RESULTS = 60;

interface Sellable {
  product: ProductDoc;
  price: number;
  quantity: number;
}

/** The shopkeeper's main screen: find products, build a cart, record a cash sale. */
export function SellScreen({ db, storeId, deviceId }: { db: BazaarDatabase; storeId: string; deviceId: string }) {
  const products = useQueryDocs<ProductDoc>(() => db.products.find().$, [db]);
  const stock = useQueryDocs<StockDoc>(() => db.stock.find().$, [db]);
  const storeProducts = useQueryDocs<StoreProductDoc>(() => db.storeproducts.find().$, [db]);
  const pending = useQueryDocs<Operation>(() => db.operations.find({ selector: { status: { $exists: false } } }).$, [db]);

  const [query, setQuery] = useState('');
  const [cart, setCart] = useState<CartLine[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const sellables = useMemo(() => {
    const projected = projectStock(stock, pending);
    const state = new Map(storeProducts.map((d) => [d.productId, d]));
    const all: Sellable[] = [];
    for (const doc of products) {
      const own = state.get(doc.id);
      if (own && !own.active) continue;
      all.push({ product: doc, price: own?.price ?? doc.defaultPrice, quantity: projected.get(doc.id) ?? 0 });
    }
    return all.sort((a, b) => a.product.nameEn.localeCompare(b.product.nameEn));
  }, [products, stock, storeProducts, pending]);

  const byId = useMemo(() => new Map(sellables.map((s) => [s.product.id, s])), [sellables]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return sellables.slice(0, MAX_RESULTS);
    return sellables
      .filter(({ product: p }) => p.nameEn.toLowerCase().includes(q) || p.nameUr.includes(q) || p.sku.toLowerCase().includes(q) || (p.barcode ?? '').startsWith(q))
      .slice(0, MAX_RESULTS);
  }, [sellables, query]);

  const setQuantity = (productId: string, quantity: number) =>
    setCart((lines) => lines.map((l) => (l.productId === productId ? { ...l, quantity } : l)).filter((l) => l.quantity > 0));
  const add = (item: Sellable) => {
    setMessage(null);
    setCart((lines) =>
      lines.some((l) => l.productId === item.product.id)
        ? lines.map((l) => (l.productId === item.product.id ? { ...l, quantity: l.quantity + 1 } : l))
        : [...lines, { productId: item.product.id, quantity: 1, unitPrice: item.price }],
    );
  };

  const total = cartTotal(cart);
  const valid = cart.length > 0 && cart.every((l) => l.quantity > 0);
  const submit = async () => {
    setSaving(true);
    try {
      await recordSale(db, { storeId, deviceId }, cart);
      setCart([]);
      setMessage(t.saleRecorded(formatPrice(total)));
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className="sell">
      <section className="catalog" aria-label="Products">
        <label className="search">
          <span>{t.search}</span>
          <input type="search" placeholder={t.searchHint} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </label>
        {products.length === 0 ? (
          <p className="muted">{t.loading}</p>
        ) : matches.length === 0 ? (
          <p className="muted">{t.noMatches}</p>
        ) : (
          <ul className="product-list">
            {matches.map((item) => (
              <li key={item.product.id} className="product" data-sku={item.product.sku}>
                <button type="button" onClick={() => add(item)} aria-label={t.add(item.product.nameEn)}>
                  <span className="product-names">
                    <span className="name-en">{item.product.nameEn}</span>
                    <span className="name-ur" lang="ur" dir="rtl">
                      {item.product.nameUr}
                    </span>
                    <span className="muted sku">{item.product.sku}</span>
                  </span>
                  <span className="product-figures">
                    <span className="price">{formatPrice(item.price)}</span>
                    <span className={`stock ${item.quantity <= 0 ? 'stock-out' : ''}`}>{t.inStock(formatQuantity(item.quantity))}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={`cart card ${cart.length > 0 ? 'cart-active' : ''}`} aria-labelledby="cart-title">
        <h2 id="cart-title">{t.cart}</h2>
        {cart.length === 0 ? (
          <p className="muted">{t.cartEmpty}</p>
        ) : (
          <ul className="cart-lines">
            {cart.map((line) => {
              const name = byId.get(line.productId)?.product.nameEn ?? line.productId;
              return (
                <li key={line.productId} className="cart-line">
                  <span className="cart-name">{name}</span>
                  <span className="stepper">
                    <button type="button" aria-label={t.less(name)} onClick={() => setQuantity(line.productId, Math.max(0, line.quantity - 1))}>
                      −
                    </button>
                    <input
                      type="number"
                      inputMode="decimal"
                      min={0}
                      step="any"
                      aria-label={t.quantityOf(name)}
                      value={line.quantity}
                      onChange={(e) => setCart((lines) => lines.map((l) => (l.productId === line.productId ? { ...l, quantity: Number(e.target.value) } : l)))}
                    />
                    <button type="button" aria-label={t.more(name)} onClick={() => setQuantity(line.productId, line.quantity + 1)}>
                      +
                    </button>
                  </span>
                  <span className="line-total">{formatPrice(cartTotal([line]))}</span>
                  <button type="button" className="link-button" aria-label={t.remove(name)} onClick={() => setQuantity(line.productId, 0)}>
                    ✕
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <p className="total">
          <span>{t.total}</span> <strong>{formatPrice(total)}</strong>
        </p>
        <button type="button" className="primary" disabled={!valid || saving} onClick={() => void submit()}>
          {t.recordSale}
        </button>
        <p role="status" className="sale-message">
          {message}
        </p>
      </section>
    </main>
  );
}
