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
const HELD_BACK = 'txid >= pg_snapshot_xmin(pg_current_snapshot())';

// How long a pull waits for writes that are still in flight to commit, so
// that a device nudged by the stream right after a push gets that push,
// rather than a short page and no further nudge.
const WAIT_FOR_IN_FLIGHT_MS = 2000;
const RETRY_MS = 20;

interface Page<Row> {
  rows: (Row & { txid: string; cursor: string })[];
}

/** `null` storeIds means every store (admins). */
type Scope = string[] | null;

const after = (checkpoint: Checkpoint | null) => [checkpoint?.txid ?? '0', checkpoint?.id ?? ''];

/**
 * A page of changes after `checkpoint`. When the page is short because rows
 * are held back behind a transaction still running, waits a little for it
 * to finish; if it does not, answers the short page (the next pull gets the
 * rest, still in order).
 */
export async function pullCollection(
  db: Queryable,
  collection: PullCollection,
  scope: Scope,
  checkpoint: Checkpoint | null,
  limit: number,
): Promise<PullResponse<ProductDoc | StockDoc | StoreProductDoc | OperationDoc>> {
  const deadline = Date.now() + WAIT_FOR_IN_FLIGHT_MS;
  for (;;) {
    const page = await pullPage(db, collection, scope, checkpoint, limit);
    if (page.documents.length >= limit || Date.now() > deadline) return page;
    if (!(await heldBack(db, collection, scope, page.checkpoint))) return page;
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

const tables: Record<PullCollection, { table: string; key: string; scoped: boolean }> = {
  products: { table: 'products', key: 'id::text', scoped: false },
  stock: { table: 'stock', key: "store_id::text || ':' || product_id::text", scoped: true },
  'store-products': { table: 'store_products', key: "store_id::text || ':' || product_id::text", scoped: true },
  operations: { table: 'operations', key: 'id::text', scoped: true },
};

async function heldBack(db: Queryable, collection: PullCollection, scope: Scope, checkpoint: Checkpoint | null): Promise<boolean> {
  const { table, key, scoped } = tables[collection];
  const [txid, id] = after(checkpoint);
  const byStore = scoped && scope !== null;
  const { rows } = await db.query(
    `SELECT 1 FROM ${table} WHERE ${HELD_BACK} AND (txid, ${key}) > ($1::xid8, $2) ${byStore ? 'AND store_id = ANY($3::uuid[])' : ''} LIMIT 1`,
    byStore ? [txid, id, scope] : [txid, id],
  );
  return rows.length > 0;
}

async function pullPage(
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
