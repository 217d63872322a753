import { ALERT_PULL_DAYS, OPERATION_PULL_DAYS, type AlertDoc, type Checkpoint, type CustomerDoc, type OperationDoc, type ProductDoc, type PullCollection, type PullResponse, type StockDoc, type StoreProductDoc } from '@bazaar/shared';
import type { Queryable } from '../db/database';
import { visibilityHorizon } from '../db/horizon';
import { OPERATION_ROW_COLUMNS, toOperationDoc, type OperationRow } from './operation-doc';

// How long a pull waits for writes that are still in flight to commit, so
// that a device nudged by the stream right after a push gets that push,
// rather than a short page and no further nudge.
const WAIT_FOR_IN_FLIGHT_MS = 2000;
const RETRY_MS = 20;

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
): Promise<PullResponse<AnyDoc>> {
  const deadline = Date.now() + WAIT_FOR_IN_FLIGHT_MS;
  for (;;) {
    const horizon = await visibilityHorizon(db, sources[collection].writtenByWorkers === true);
    const page = await pullPage(db, collection, scope, checkpoint, limit, horizon);
    if (page.documents.length >= limit || Date.now() > deadline) return page;
    if (!(await heldBack(db, collection, scope, page.checkpoint, horizon))) return page;
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

type AnyDoc = ProductDoc | StockDoc | StoreProductDoc | OperationDoc | AlertDoc | CustomerDoc;

/** How each pullable collection is read: its table, its key, its columns and its document. */
interface Source {
  table: string;
  /** The second part of the checkpoint, as text; ordering by it equals ordering by the key columns. */
  key: string;
  order: string;
  /** Whether rows belong to a store (and are filtered by the caller's stores). */
  scoped: boolean;
  columns: string;
  /** More of the WHERE clause, for rows a device does not need ($1 is the checkpoint's txid). */
  only?: string;
  /** Written by the workers' sessions, which the horizon must then wait for. */
  writtenByWorkers?: boolean;
  toDoc(row: never): AnyDoc;
}

const CELL_KEY = "store_id::text || ':' || product_id::text";

const sources: Record<PullCollection, Source> = {
  products: {
    table: 'products',
    key: 'id::text',
    order: 'id',
    scoped: false,
    columns: `id, sku, barcode, name_en AS "nameEn", name_ur AS "nameUr", category, unit, pack_size AS "packSize",
              default_price::float8 AS "defaultPrice", version, retired_at IS NOT NULL AS retired, updated_at, deleted`,
    toDoc: ({ updated_at, deleted, txid: _t, cursor: _c, ...p }: ProductRow): ProductDoc => ({
      ...p,
      updatedAt: updated_at.toISOString(),
      _deleted: deleted,
    }),
  },
  stock: {
    table: 'stock',
    key: CELL_KEY,
    order: 'store_id, product_id',
    scoped: true,
    columns: 'store_id, product_id, quantity::float8 AS quantity, version, updated_at',
    toDoc: (r: StockRow): StockDoc => ({
      id: r.cursor,
      storeId: r.store_id,
      productId: r.product_id,
      quantity: r.quantity,
      version: r.version,
      updatedAt: r.updated_at.toISOString(),
      _deleted: false,
    }),
  },
  'store-products': {
    table: 'store_products',
    key: CELL_KEY,
    order: 'store_id, product_id',
    scoped: true,
    columns: 'store_id, product_id, price::float8 AS price, reorder_level::float8 AS reorder_level, active, version, updated_at',
    toDoc: (r: StoreProductRow): StoreProductDoc => ({
      id: r.cursor,
      storeId: r.store_id,
      productId: r.product_id,
      price: r.price,
      reorderLevel: r.reorder_level,
      active: r.active,
      version: r.version,
      updatedAt: r.updated_at.toISOString(),
      _deleted: false,
    }),
  },
  operations: {
    table: 'operations',
    // Two stores may hold the same id (R11); a device reads one store, but the key names both.
    // Starting with the id keeps checkpoints made before that ordered the same way.
    key: "id::text || ':' || store_id::text",
    order: 'id, store_id',
    scoped: true,
    columns: OPERATION_ROW_COLUMNS,
    // The device's horizon (SPEC.md P7, `pulledWhateverItsAge`): the last weeks, and
    // the books' operations and the refused or flagged whatever their age. Only a
    // decision changes an operation once logged, and only a refused or flagged one.
    only: `(received_at > now() - interval '${OPERATION_PULL_DAYS} days'
            OR status = 'rejected' OR discrepancy
            OR type IN ('customer', 'credit_payment', 'supplier', 'supplier_payment')
            OR (type = 'sale' AND payload->'payment'->>'method' = 'credit')
            OR (type = 'return' AND payload->>'customerId' IS NOT NULL)
            OR (type = 'purchase' AND btrim(coalesce(payload->>'supplier', '')) <> ''))`,
    toDoc: (r: OperationRow) => toOperationDoc(r),
  },
  alerts: {
    table: 'alerts',
    key: 'id::text',
    order: 'id',
    scoped: true,
    columns: `id, store_id, product_id, kind, opened_at, cleared_at, detail, updated_at`,
    // A device gets what is open, what cleared this week, and the clearing of
    // any it may hold open (opened before its checkpoint, $1); older history
    // is for GET /api/alerts.
    only: `(cleared_at IS NULL OR cleared_at > now() - interval '${ALERT_PULL_DAYS} days' OR opened_txid <= $1::xid8)`,
    writtenByWorkers: true,
    toDoc: (r: AlertRow): AlertDoc => ({
      id: r.id,
      storeId: r.store_id,
      productId: r.product_id,
      kind: r.kind,
      openedAt: r.opened_at.toISOString(),
      clearedAt: r.cleared_at?.toISOString() ?? null,
      detail: r.detail,
      updatedAt: r.updated_at.toISOString(),
      _deleted: false,
    }),
  },
  customers: {
    table: 'customers',
    // Ids are the devices' and scoped by store, like operations'.
    key: "store_id::text || ':' || id::text",
    order: 'store_id, id',
    scoped: true,
    columns: `store_id, id, name, phone, credit_limit::float8 AS credit_limit, merged_into, balance_paisa, owed_since, last_payment_at, version, updated_at`,
    toDoc: (r: CustomerRow): CustomerDoc => ({
      id: r.id,
      storeId: r.store_id,
      name: r.name,
      phone: r.phone,
      creditLimit: r.credit_limit,
      mergedInto: r.merged_into,
      balance: Number(r.balance_paisa) / 100,
      owedSince: r.owed_since?.toISOString() ?? null,
      lastPaymentAt: r.last_payment_at?.toISOString() ?? null,
      version: r.version,
      updatedAt: r.updated_at.toISOString(),
      _deleted: false,
    }),
  },
};

/** Rows after the checkpoint, either visible (below the horizon) or held back (at or above it). */
function afterCheckpoint(source: Source, scope: Scope, checkpoint: Checkpoint | null, horizon: string, side: '<' | '>=') {
  const [txid, id] = after(checkpoint);
  const byStore = source.scoped && scope !== null;
  return {
    where: `txid ${side} $3::xid8 AND (txid, ${source.key}) > ($1::xid8, $2)${byStore ? ' AND store_id = ANY($4::uuid[])' : ''}${source.only ? ` AND ${source.only}` : ''}`,
    params: byStore ? [txid, id, horizon, scope] : [txid, id, horizon],
  };
}

async function heldBack(db: Queryable, collection: PullCollection, scope: Scope, checkpoint: Checkpoint | null, horizon: string) {
  const source = sources[collection];
  const { where, params } = afterCheckpoint(source, scope, checkpoint, horizon, '>=');
  const { rows } = await db.query(`SELECT 1 FROM ${source.table} WHERE ${where} LIMIT 1`, params);
  return rows.length > 0;
}

async function pullPage(
  db: Queryable,
  collection: PullCollection,
  scope: Scope,
  checkpoint: Checkpoint | null,
  limit: number,
  horizon: string,
): Promise<PullResponse<AnyDoc>> {
  const source = sources[collection];
  const { where, params } = afterCheckpoint(source, scope, checkpoint, horizon, '<');
  const { rows } = await db.query<{ txid: string; cursor: string }>(
    `SELECT ${source.columns}, txid::text AS txid, ${source.key} AS cursor FROM ${source.table}
      WHERE ${where} ORDER BY txid, ${source.order} LIMIT ${Number(limit)}`,
    params,
  );
  const last = rows.at(-1);
  return {
    documents: rows.map((r) => source.toDoc(r as never)),
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
interface AlertRow {
  id: string;
  store_id: string;
  product_id: string | null;
  kind: AlertDoc['kind'];
  opened_at: Date;
  cleared_at: Date | null;
  detail: Record<string, unknown>;
  updated_at: Date;
}
interface CustomerRow {
  store_id: string;
  id: string;
  name: string;
  phone: string | null;
  credit_limit: number | null;
  merged_into: string | null;
  balance_paisa: string;
  owed_since: Date | null;
  last_payment_at: Date | null;
  version: number;
  updated_at: Date;
}
