import type { Checkpoint, OperationDoc, ProductDoc, PullCollection, PullResponse, StockDoc, StoreProductDoc } from '@bazaar/shared';
import type { Queryable } from '../db/database';
import { toOperationDoc, type OperationRow } from './operation-doc';

/**
 * Checkpointed pulls. Rows are ordered by (txid, key) and only rows written by
 * transactions older than every transaction still running are returned: a
 * row that commits late always has a txid at or above that horizon, so a
 * checkpoint never moves past it (SPEC.md P3). Ordering by a timestamp or a
 * sequence would skip such rows.
 */
const VISIBLE = 'txid < pg_snapshot_xmin(pg_current_snapshot())';

interface Page<Row> {
  rows: (Row & { txid: string; cursor: string })[];
}

/** `null` storeIds means every store (admins). */
type Scope = string[] | null;

const after = (checkpoint: Checkpoint | null) => [checkpoint?.txid ?? '0', checkpoint?.id ?? ''];

export async function pullCollection(
  db: Queryable,
  collection: PullCollection,
  scope: Scope,
  checkpoint: Checkpoint | null,
  limit: number,
): Promise<PullResponse<ProductDoc | StockDoc | StoreProductDoc | OperationDoc>> {
  const [txid, id] = after(checkpoint);
  const storeFilter = scope === null ? 'true' : 'store_id = ANY($4::uuid[])';
  const params = scope === null ? [txid, id, limit] : [txid, id, limit, scope];
  let page: Page<object>;
  let toDoc: (row: never) => ProductDoc | StockDoc | StoreProductDoc | OperationDoc;

  switch (collection) {
    case 'products':
      page = await db.query(
        `SELECT id, sku, barcode, name_en AS "nameEn", name_ur AS "nameUr", category, unit, pack_size AS "packSize",
                default_price::float8 AS "defaultPrice", version, updated_at, deleted, txid::text AS txid, id::text AS cursor
           FROM products
          WHERE ${VISIBLE} AND (txid, id::text) > ($1::xid8, $2)
          ORDER BY txid, id LIMIT $3`,
        params.slice(0, 3),
      );
      toDoc = ({ updated_at, deleted, txid: _t, cursor: _c, ...p }: ProductRow) => ({
        ...p,
        updatedAt: updated_at.toISOString(),
        _deleted: deleted,
      });
      break;
    case 'stock':
      page = await db.query(
        `SELECT store_id, product_id, quantity::float8 AS quantity, version, updated_at,
                txid::text AS txid, store_id::text || ':' || product_id::text AS cursor
           FROM stock
          WHERE ${VISIBLE} AND ${storeFilter} AND (txid, store_id::text || ':' || product_id::text) > ($1::xid8, $2)
          ORDER BY txid, store_id, product_id LIMIT $3`,
        params,
      );
      toDoc = (r: StockRow): StockDoc => ({
        id: r.cursor,
        storeId: r.store_id,
        productId: r.product_id,
        quantity: r.quantity,
        version: r.version,
        updatedAt: r.updated_at.toISOString(),
        _deleted: false,
      });
      break;
    case 'store-products':
      page = await db.query(
        `SELECT store_id, product_id, price::float8 AS price, reorder_level::float8 AS reorder_level, active, version, updated_at,
                txid::text AS txid, store_id::text || ':' || product_id::text AS cursor
           FROM store_products
          WHERE ${VISIBLE} AND ${storeFilter} AND (txid, store_id::text || ':' || product_id::text) > ($1::xid8, $2)
          ORDER BY txid, store_id, product_id LIMIT $3`,
        params,
      );
      toDoc = (r: StoreProductRow): StoreProductDoc => ({
        id: r.cursor,
        storeId: r.store_id,
        productId: r.product_id,
        price: r.price,
        reorderLevel: r.reorder_level,
        active: r.active,
        version: r.version,
        updatedAt: r.updated_at.toISOString(),
        _deleted: false,
      });
      break;
    case 'operations':
      page = await db.query(
        `SELECT id, user_id, payload, status, discrepancy, reason, message, current, received_at, updated_at,
                txid::text AS txid, id::text AS cursor
           FROM operations
          WHERE ${VISIBLE} AND ${storeFilter} AND (txid, id::text) > ($1::xid8, $2)
          ORDER BY txid, id LIMIT $3`,
        params,
      );
      toDoc = (r: OperationRow) => toOperationDoc(r);
      break;
  }
  const last = page.rows.at(-1);
  return {
    documents: page.rows.map((r) => toDoc(r as never)),
    checkpoint: last ? { txid: last.txid, id: last.cursor } : checkpoint,
  };
}

type ProductRow = Omit<ProductDoc, 'updatedAt' | '_deleted'> & { updated_at: Date; deleted: boolean; txid: string; cursor: string };
interface StockRow {
  store_id: string;
  product_id: string;
  quantity: number;
  version: number;
  updated_at: Date;
  cursor: string;
}
interface StoreProductRow extends Omit<StockRow, 'quantity'> {
  price: number | null;
  reorder_level: number | null;
  active: boolean;
}
