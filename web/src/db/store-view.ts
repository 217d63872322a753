import { useMemo } from 'react';
import type { ProductDoc, StockDoc, StoreProductDoc } from '@bazaar/shared';
import type { BazaarDatabase } from './database';
import { projectStock } from './projected-stock';
import type { OperationRecord } from './schemas';
import { useQueryDocs } from './use-observable';

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
  active: boolean;
  /** At or below its reorder level, or out of stock. */
  low: boolean;
}

export interface StoreView {
  loaded: boolean;
  items: StoreItem[];
  byId: Map<string, StoreItem>;
  operations: OperationRecord[];
  pending: OperationRecord[];
}

/** Everything the screens show of the store, from the local database only: it works offline. */
export function useStoreView(db: BazaarDatabase): StoreView {
  const products = useQueryDocs<ProductDoc>(() => db.products.find().$, [db]);
  const stock = useQueryDocs<StockDoc>(() => db.stock.find().$, [db]);
  const storeProducts = useQueryDocs<StoreProductDoc>(() => db.storeproducts.find().$, [db]);
  const operations = useQueryDocs<OperationRecord>(() => db.operations.find({ sort: [{ createdAt: 'desc' }] }).$, [db]);

  return useMemo(() => {
    // No status yet: written here and not acknowledged by the server.
    const pending = operations.filter((op) => op.status === undefined);
    const projected = projectStock(stock, pending);
    const stockById = new Map(stock.map((d) => [d.productId, d]));
    const stateById = new Map(storeProducts.map((d) => [d.productId, d]));
    const items: StoreItem[] = products.map((product) => {
      const own = stateById.get(product.id);
      const quantity = projected.get(product.id) ?? 0;
      const reorderLevel = own?.reorderLevel ?? null;
      return {
        product,
        price: own?.price ?? product.defaultPrice,
        quantity,
        stock: stockById.get(product.id),
        storeProduct: own,
        reorderLevel,
        active: own?.active ?? true,
        low: quantity <= 0 || (reorderLevel !== null && quantity <= reorderLevel),
      };
    });
    items.sort((a, b) => a.product.nameEn.localeCompare(b.product.nameEn));
    return { loaded: products.length > 0, items, byId: new Map(items.map((i) => [i.product.id, i])), operations, pending };
  }, [products, stock, storeProducts, operations]);
}

/** Case-insensitive match on English name, Urdu name, SKU, or a barcode prefix. */
export function matchesQuery(product: ProductDoc, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return product.nameEn.toLowerCase().includes(q) || product.nameUr.includes(q) || product.sku.toLowerCase().includes(q) || (product.barcode ?? '').startsWith(q);
}
