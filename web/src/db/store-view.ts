import { useEffect, useMemo, useRef } from 'react';
import { awaitsServer, type ProductDoc, type StockDoc, type StoreProductDoc } from '@bazaar/shared';
import type { BazaarDatabase } from './database';
import { projectStock } from './projected-stock';
import type { OperationRecord } from './schemas';
import { useQueryDocs } from './use-observable';
import { writeSnapshot } from './view-snapshot';

/** How long the view must be quiet before its snapshot is rewritten (and always when the app is hidden). */
const SNAPSHOT_QUIET_MS = 2_000;

/** One product as this store sees it now. */
export interface StoreItem {
  product: ProductDoc;
  /** The store's price, else the catalog's. */
  price: number;
  /** The server's quantity plus this device's pending operations. */
  quantity: number;
  /** The server's figures, which counts and edits are based on. */
  stock: StockDoc | undefined;
  storeProduct: StoreProductDoc | undefined;
  reorderLevel: number | null;
  /** Offered for sale: the store has not switched it off and the catalog has not retired it. */
  active: boolean;
  /** Retired from the catalog: shown only while the store still holds some, never counted as low. */
  retired: boolean;
  /** At or below its reorder level, or out of stock. */
  low: boolean;
  /** This device's operations on it that the server has not acknowledged yet. */
  unsynced: number;
  /** A count of it waits for the server, which will rebase it: `quantity` does not include it yet. */
  countWaits: boolean;
}

/** An item by product id. */
export type ItemLookup = Pick<ReadonlyMap<string, StoreItem>, 'get'>;

const at = (items: readonly StoreItem[], position: number | undefined): StoreItem | undefined => (position === undefined ? undefined : items[position]);

export interface StoreView {
  loaded: boolean;
  /** Items from the last snapshot, shown while RxDB loads: quantities may be a few seconds old. */
  fromSnapshot: boolean;
  items: StoreItem[];
  /**
   * The items as the server's figures have them, in the same order as
   * `items` (position for position): it changes with a pull, not with a sale,
   * so what depends only on products and their state (a search) is not worked
   * out again over the whole catalog for every sale.
   */
  catalog: StoreItem[];
  byId: ItemLookup;
  operations: OperationRecord[];
  pending: OperationRecord[];
}

/** One collator for every comparison: `localeCompare` looks the locale's rules up on each call. */
const byName = new Intl.Collator();

/**
 * Everything the screens show of the store, from the local database only: it
 * works offline. Until RxDB has loaded the collections, the snapshot of the
 * last session's view stands in (db/view-snapshot.ts).
 */
export function useStoreView(db: BazaarDatabase, databaseName: string, snapshot: StoreItem[] | null): StoreView {
  const products = useQueryDocs<ProductDoc>(() => db.products.find().$, [db]);
  const stock = useQueryDocs<StockDoc>(() => db.stock.find().$, [db]);
  const storeProducts = useQueryDocs<StoreProductDoc>(() => db.storeproducts.find().$, [db]);
  const operations = useQueryDocs<OperationRecord>(() => db.operations.find({ sort: [{ createdAt: 'desc' }] }).$, [db]);

  // The catalog in name order, sorted only when the catalog changes: a first sync pulls
  // as many pages of stock as of products, and each used to sort 20,000 names again.
  const sorted = useMemo(() => [...products].sort((a, b) => byName.compare(a.nameEn, b.nameEn)), [products]);

  // The server's figures, indexed once per pull: the expensive part with a large catalog.
  const base = useMemo(() => {
    const stockById = new Map(stock.map((d) => [d.productId, d]));
    const stateById = new Map(storeProducts.map((d) => [d.productId, d]));
    const items = sorted.map((product) => toItem(product, stockById.get(product.id), stateById.get(product.id), stockById.get(product.id)?.quantity ?? 0));
    const position = new Map(items.map((item, i) => [item.product.id, i]));
    return { items, stockById, position };
  }, [sorted, stock, storeProducts]);

  // This device's pending operations on top, for the few products they touch: a sale costs
  // what it touched, not the catalog (no re-sort, no new index of 20,000 items).
  const live = useMemo(() => {
    // No outcome yet: written here and not acknowledged by the server (nor set aside after a refusal).
    const pending = operations.filter(awaitsServer);
    const touched = new Set(pending.flatMap((op) => ('lines' in op ? op.lines.map((l) => l.productId) : [])));
    let items = base.items;
    if (touched.size > 0) {
      const projected = projectStock(
        [...touched].flatMap((id) => base.stockById.get(id) ?? []),
        pending,
      );
      items = base.items.slice();
      for (const id of touched) {
        const place = base.position.get(id);
        if (place === undefined) continue;
        const i = items[place]!;
        items[place] = toItem(i.product, i.stock, i.storeProduct, projected.quantities.get(id) ?? 0, {
          unsynced: projected.pendingBy.get(id) ?? 0,
          countWaits: projected.countWaits.has(id),
        });
      }
    }
    // The live items sit where the catalog's do: one index of positions serves both.
    const byId: ItemLookup = { get: (id) => at(items, base.position.get(id)) };
    if (items.length > 0 && performance.getEntriesByName('bazaar:live').length === 0) performance.mark('bazaar:live');
    return { loaded: items.length > 0, fromSnapshot: false, items, catalog: base.items, byId, operations, pending };
  }, [base, operations]);

  useSnapshotWriter(databaseName, live);

  return useMemo(() => {
    if (live.loaded || !snapshot) return live;
    return { ...live, loaded: true, fromSnapshot: true, items: snapshot, catalog: snapshot, byId: new Map(snapshot.map((i) => [i.product.id, i])) };
  }, [live, snapshot]);
}

function toItem(
  product: ProductDoc,
  stock: StockDoc | undefined,
  own: StoreProductDoc | undefined,
  quantity: number,
  sync: Pick<StoreItem, 'unsynced' | 'countWaits'> = { unsynced: 0, countWaits: false },
): StoreItem {
  const reorderLevel = own?.reorderLevel ?? null;
  // A snapshot written before protocol 3 has products without the field.
  const retired = product.retired === true;
  return {
    product,
    price: own?.price ?? product.defaultPrice,
    quantity,
    stock,
    storeProduct: own,
    reorderLevel,
    active: (own?.active ?? true) && !retired,
    retired,
    low: !retired && (quantity <= 0 || (reorderLevel !== null && quantity <= reorderLevel)),
    ...sync,
  };
}

/** Rewrites the snapshot once the live view has been quiet a while, and when the app goes to the background. */
function useSnapshotWriter(databaseName: string, view: StoreView) {
  const latest = useRef(view);
  latest.current = view;
  useEffect(() => {
    if (!view.loaded) return;
    const timer = setTimeout(() => void writeSnapshot(databaseName, view.items), SNAPSHOT_QUIET_MS);
    return () => clearTimeout(timer);
  }, [databaseName, view]);
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden' && latest.current.loaded) void writeSnapshot(databaseName, latest.current.items);
    };
    document.addEventListener('visibilitychange', onHide);
    return () => document.removeEventListener('visibilitychange', onHide);
  }, [databaseName]);
}

// Lower-cased once per product document, not once per product per keystroke or sale.
const lowered = new WeakMap<ProductDoc, { nameEn: string; sku: string }>();

/** A case-insensitive match on English name, Urdu name or SKU, or a barcode prefix; the query is prepared once for a whole catalog. */
export function productMatcher(query: string): (product: ProductDoc) => boolean {
  const q = query.trim().toLowerCase();
  if (!q) return () => true;
  return (product) => {
    let low = lowered.get(product);
    if (!low) lowered.set(product, (low = { nameEn: product.nameEn.toLowerCase(), sku: product.sku.toLowerCase() }));
    return low.nameEn.includes(q) || product.nameUr.includes(q) || low.sku.includes(q) || (product.barcode ?? '').startsWith(q);
  };
}
