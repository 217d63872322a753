import {
  account,
  cellKey,
  dayKey,
  historyKey,
  operationProblem,
  limits,
  normalizePhone,
  phoneKey,
  supplierNamings,
  toPaisa,
  type BatchResolution,
  type BatchSnapshot,
  type CustomerState,
  type LedgerEntry,
  type Operation,
  type Returnable,
  type StockCell,
  type StoreProductState,
} from '@bazaar/shared';
import type { Queryable } from '../db/database';
import { jsonInsert, jsonTable, type RowOf } from '@bazaar/shared/sql';
import { movementEventId } from '../outbox/events';
import type { OperationRow } from './operation-doc';

/**
 * Serialises pushes per store: one store's operations commit one batch after
 * another, so its log (read by the relay in commit order) keeps its order.
 */
export async function lockStore(db: Queryable, storeId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('store:' || $1, 0))`, [storeId]);
}

export interface LoadedBatch {
  existing: OperationRow[];
  snapshot: BatchSnapshot;
}

/**
 * Reads, in one round trip, everything resolving `operations` needs; stock
 * rows are locked. `existing` holds the batch's operations already stored
 * (retries). Every lookup is by store and key.
 */
export async function loadBatch(db: Queryable, operations: readonly Operation[]): Promise<LoadedBatch> {
  const productIds = new Set<string>();
  const cells: [string, string][] = [];
  const versions: [string, string, number][] = [];
  const edits: [string, string][] = [];
  // The ledger customers the batch names, and the phones it gives them (SPEC.md L2).
  const customers: [string, string][] = [];
  const phones: [string, string][] = [];
  // The store days the batch closes, for which close of its day each is (SPEC.md C2).
  const days: [string, string][] = [];
  // The sales the batch's returns name, for what each has left to return (R12).
  const returnsOf: [string, string][] = [];
  const phone = (storeId: string, typed: string | undefined) => {
    const normal = typed ? normalizePhone(typed) : null;
    if (normal) phones.push([storeId, normal]);
  };
  for (const op of operations) {
    if (op.type === 'cash_close') {
      // A close resolveBatch will refuse (a day out of range, which PostgreSQL might not read) is not looked up.
      if (operationProblem(op) === null) days.push([op.storeId, op.day]);
      continue;
    }
    // Suppliers are known by name and payments to them move no stock: nothing to look up (S1, S2).
    if (op.type === 'supplier' || op.type === 'supplier_payment') continue;
    if (op.type === 'customer' || op.type === 'credit_payment') {
      customers.push([op.storeId, op.customerId]);
      if (op.type === 'customer') phone(op.storeId, op.phone);
      continue;
    }
    if (op.type === 'sale' && op.payment.customerId) {
      customers.push([op.storeId, op.payment.customerId]);
      phone(op.storeId, op.payment.customer?.phone);
    }
    if (op.type === 'return' && op.customerId) customers.push([op.storeId, op.customerId]);
    if (op.type === 'return' && op.saleId) returnsOf.push([op.storeId, op.saleId]);
    if (op.type === 'store_product_update') {
      productIds.add(op.productId);
      edits.push([op.storeId, op.productId]);
      continue;
    }
    for (const line of op.lines) {
      productIds.add(line.productId);
      cells.push([op.storeId, line.productId]);
      // A version beyond PostgreSQL's integer cannot be looked up; resolveBatch refuses it as out_of_range.
      if ('baseVersion' in line && line.baseVersion <= limits.version) versions.push([op.storeId, line.productId, line.baseVersion]);
    }
  }
  const col = <T,>(rows: T[][], i: number) => rows.map((r) => r[i]);

  const { rows } = await db.query<{
    existing: OperationRow[];
    products: string[];
    stock: { store_id: string; product_id: string; quantity: number; version: number }[];
    history: { store_id: string; product_id: string; version: number; quantity: number }[];
    store_products: (StoreProductState & { store_id: string; product_id: string })[];
    customers: CustomerState[];
    phones: { store_id: string; phone: string; id: string }[];
    closes: { store_id: string; day: string; closes: number }[];
    sale_returns: { store_id: string; sale_id: string; product_id: string; left_milli: number }[];
  }>(
    `WITH existing AS (
       SELECT o.id, o.user_id, o.payload, o.status, o.discrepancy, o.reason, o.message, o.current, o.resolution, o.received_at, o.updated_at
         FROM operations o JOIN unnest($10::uuid[], $1::uuid[]) AS k(store_id, id) USING (store_id, id)
     ), cells AS (
       SELECT s.store_id, s.product_id, (s.quantity * 1000)::float8 AS quantity, s.version
         FROM stock s JOIN unnest($3::uuid[], $4::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
          FOR UPDATE OF s
     ), history AS (
       SELECT m.store_id, m.product_id, m.resulting_version AS version, (m.resulting_quantity * 1000)::float8 AS quantity
         FROM movements m JOIN unnest($5::uuid[], $6::uuid[], $7::int[]) AS k(store_id, product_id, version)
           ON m.store_id = k.store_id AND m.product_id = k.product_id AND m.resulting_version = k.version
     ), store_products AS (
       SELECT sp.store_id, sp.product_id, sp.store_id AS "storeId", sp.product_id AS "productId",
              sp.price::float8 AS price, sp.reorder_level::float8 AS "reorderLevel", sp.active, sp.version
         FROM store_products sp JOIN unnest($8::uuid[], $9::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
     ), named AS (
       SELECT c.store_id, c.id, c.merged_into FROM customers c JOIN unnest($11::uuid[], $12::uuid[]) AS k(store_id, id) USING (store_id, id)
     ), customers_read AS (
       -- Each named customer, and the one it is another name for.
       SELECT c.store_id AS "storeId", c.id, c.name, c.phone, c.credit_limit::float8 AS "creditLimit", c.merged_into AS "mergedInto", c.version
         FROM customers c JOIN (SELECT store_id, id FROM named UNION SELECT store_id, merged_into FROM named WHERE merged_into IS NOT NULL) k
           USING (store_id, id)
     ), phones AS (
       SELECT c.store_id, c.phone, c.id FROM customers c JOIN unnest($13::uuid[], $14::text[]) AS k(store_id, phone) USING (store_id, phone)
        WHERE c.merged_into IS NULL
     ), closes AS (
       SELECT cc.store_id, to_char(cc.day, 'YYYY-MM-DD') AS day, max(cc.seq) AS closes
         FROM cash_closes cc JOIN unnest($15::uuid[], $16::date[]) AS k(store_id, day) USING (store_id, day)
        GROUP BY 1, 2
     ), named_sales AS (
       SELECT DISTINCT o.store_id, o.id AS sale_id, o.payload
         FROM operations o JOIN unnest($17::uuid[], $18::uuid[]) AS k(store_id, id) USING (store_id, id)
        WHERE o.type = 'sale' AND o.status = 'applied'
     ), sale_returns AS (
       -- Sold, less what applied returns naming the sale took back, per product: the lines as the log holds them.
       SELECT n.store_id, n.sale_id, x.product_id, sum(x.milli)::float8 AS left_milli
         FROM named_sales n
         CROSS JOIN LATERAL (
           SELECT l->>'productId' AS product_id, (l->>'quantity')::numeric * coalesce((l->>'packSize')::int, 1) * 1000 AS milli
             FROM jsonb_array_elements(n.payload->'lines') l
           UNION ALL
           SELECT l->>'productId', -(l->>'quantity')::numeric * coalesce((l->>'packSize')::int, 1) * 1000
             FROM operations r CROSS JOIN jsonb_array_elements(r.payload->'lines') l
            WHERE r.store_id = n.store_id AND r.type = 'return' AND r.payload ? 'saleId' AND r.payload->>'saleId' = n.sale_id::text
              AND r.status = 'applied'
         ) x
        GROUP BY 1, 2, 3
     )
     SELECT (SELECT coalesce(json_agg(e), '[]') FROM existing e) AS existing,
            (SELECT coalesce(json_agg(p.id), '[]') FROM products p WHERE p.id = ANY($2::uuid[]) AND NOT p.deleted) AS products,
            (SELECT coalesce(json_agg(c), '[]') FROM cells c) AS stock,
            (SELECT coalesce(json_agg(h), '[]') FROM history h) AS history,
            (SELECT coalesce(json_agg(s), '[]') FROM store_products s) AS store_products,
            (SELECT coalesce(json_agg(c), '[]') FROM customers_read c) AS customers,
            (SELECT coalesce(json_agg(p), '[]') FROM phones p) AS phones,
            (SELECT coalesce(json_agg(c), '[]') FROM closes c) AS closes,
            (SELECT coalesce(json_agg(r), '[]') FROM sale_returns r) AS sale_returns`,
    [
      operations.map((o) => o.id),
      [...productIds],
      col(cells, 0),
      col(cells, 1),
      col(versions, 0),
      col(versions, 1),
      col(versions, 2),
      col(edits, 0),
      col(edits, 1),
      operations.map((o) => o.storeId),
      col(customers, 0),
      col(customers, 1),
      col(phones, 0),
      col(phones, 1),
      col(days, 0),
      col(days, 1),
      col(returnsOf, 0),
      col(returnsOf, 1),
    ],
  );
  const row = rows[0]!;
  return {
    // json_agg turns timestamps into strings; the rest of the code expects Dates.
    existing: row.existing.map((e) => ({ ...e, received_at: new Date(e.received_at), updated_at: new Date(e.updated_at) })),
    snapshot: {
      products: new Set(row.products),
      stock: new Map(row.stock.map((c): [string, StockCell] => [cellKey(c.store_id, c.product_id), { quantity: c.quantity, version: c.version }])),
      history: new Map(row.history.map((h): [string, number] => [historyKey(h.store_id, h.product_id, h.version), h.quantity])),
      storeProducts: new Map(
        row.store_products.map(({ store_id, product_id, ...state }): [string, StoreProductState] => [cellKey(store_id, product_id), state]),
      ),
      customers: new Map(row.customers.map((c) => [cellKey(c.storeId, c.id), c])),
      customerPhones: new Map(row.phones.map((p) => [phoneKey(p.store_id, p.phone), p.id])),
      closes: new Map(row.closes.map((c) => [dayKey(c.store_id, c.day), c.closes])),
      saleReturns: groupReturnable(row.sale_returns),
    },
  };
}

function groupReturnable(rows: readonly { store_id: string; sale_id: string; product_id: string; left_milli: number }[]): Map<string, Returnable> {
  const bySale = new Map<string, Returnable>();
  for (const r of rows) {
    const key = cellKey(r.store_id, r.sale_id);
    const left = bySale.get(key) ?? new Map<string, number>();
    left.set(r.product_id, Math.round(r.left_milli));
    bySale.set(key, left);
  }
  return bySale;
}

/**
 * The tables a pushed batch writes, one definition each: the row types below
 * and the statement in `writeResolution` both come from it.
 */
const pushTables = {
  operations: jsonTable({
    table: 'operations',
    columns: {
      id: 'uuid', store_id: 'uuid', device_id: 'text', user_id: 'uuid', type: 'text', payload: 'jsonb', status: 'text',
      discrepancy: 'boolean', reason: 'text?', message: 'text?', current: 'jsonb?', effect: 'jsonb?', created_at: 'timestamptz',
      log_seq: 'int',
    },
  }),
  movements: jsonTable({
    table: 'movements',
    columns: {
      event_id: 'uuid', operation_id: 'uuid', line_no: 'int', store_id: 'uuid', product_id: 'uuid', type: 'text', reason: 'text?',
      delta: 'numeric', resulting_quantity: 'numeric', resulting_version: 'int', base_version: 'int?', discrepancy: 'boolean',
      device_id: 'text', user_id: 'uuid', client_time: 'timestamptz',
    },
    milli: ['delta', 'resulting_quantity'],
  }),
  stock: jsonTable({
    table: 'stock',
    columns: { store_id: 'uuid', product_id: 'uuid', quantity: 'numeric', version: 'int' },
    milli: ['quantity'],
    onConflict: '(store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, version = EXCLUDED.version',
  }),
  store_products: jsonTable({
    table: 'store_products',
    columns: { store_id: 'uuid', product_id: 'uuid', price: 'numeric?', reorder_level: 'numeric?', active: 'boolean', version: 'int' },
    onConflict: `(store_id, product_id) DO UPDATE
          SET price = EXCLUDED.price, reorder_level = EXCLUDED.reorder_level, active = EXCLUDED.active, version = EXCLUDED.version`,
  }),
  customers: jsonTable({
    table: 'customers',
    columns: { store_id: 'uuid', id: 'uuid', name: 'text', phone: 'text?', credit_limit: 'numeric?', merged_into: 'uuid?', version: 'int' },
    onConflict: `(store_id, id) DO UPDATE
          SET name = EXCLUDED.name, phone = EXCLUDED.phone, credit_limit = EXCLUDED.credit_limit, version = EXCLUDED.version`,
  }),
  ledger: jsonTable({
    table: 'ledger_entries',
    columns: {
      store_id: 'uuid', operation_id: 'uuid', customer_id: 'uuid', kind: 'text', amount_paisa: 'bigint', method: 'text?',
      reference: 'text?', client_time: 'timestamptz',
    },
  }),
  cash_closes: jsonTable({
    table: 'cash_closes',
    columns: {
      store_id: 'uuid', day: 'date', seq: 'int', operation_id: 'uuid', opening_float_paisa: 'bigint', cash_in_paisa: 'bigint',
      paid_out_paisa: 'bigint', expected_paisa: 'bigint', counted_paisa: 'bigint', difference_paisa: 'bigint', client_time: 'timestamptz',
    },
  }),
  suppliers: jsonTable({
    table: 'suppliers',
    columns: { store_id: 'uuid', key: 'text', name: 'text', phone: 'text?', note: 'text?', edited: 'boolean', named_at: 'timestamptz' },
    // The order of `supersedes` (S1): an edit over a typed name, and among the same kind the later.
    onConflict: `(store_id, key) DO UPDATE
          SET name = EXCLUDED.name,
              phone = CASE WHEN EXCLUDED.edited THEN EXCLUDED.phone ELSE suppliers.phone END,
              note = CASE WHEN EXCLUDED.edited THEN EXCLUDED.note ELSE suppliers.note END,
              edited = suppliers.edited OR EXCLUDED.edited,
              named_at = EXCLUDED.named_at
        WHERE (EXCLUDED.edited AND NOT suppliers.edited) OR (EXCLUDED.edited = suppliers.edited AND EXCLUDED.named_at >= suppliers.named_at)`,
  }),
};

/** The tables a push writes, by name: each is keyed by store first (SPEC.md R8). */
export const pushTableNames = Object.values(pushTables).map((t) => t.table);

type PushTables = typeof pushTables;
/** Every row one pushed batch writes, by table; quantities in thousandths. */
export type BatchRows = { [T in keyof PushTables]: RowOf<PushTables[T]['columns']>[] };

/**
 * Writes a batch in one statement: each CTE inserts one table from the same
 * JSON document. Foreign keys are checked at the end of the statement, so the
 * order of the CTEs does not matter.
 */
const writeStatement = (() => {
  const names = Object.keys(pushTables) as (keyof PushTables)[];
  const last = names.at(-1)!;
  const ctes = names.slice(0, -1).map((name) => `w_${name} AS (\n       ${jsonInsert(pushTables[name], `$1::jsonb->'${name}'`)}\n     )`);
  return `WITH ${ctes.join(',\n     ')}\n     ${jsonInsert(pushTables[last], `$1::jsonb->'${last}'`)}`;
})();

export interface WriteContext {
  userId: string;
}

/**
 * Writes what `resolveBatch` decided in one statement: the operations (the
 * log, which the relay publishes from), their movements, the stock, and the
 * state later pushes read (customers and their entries, closes, suppliers'
 * names). Sales, purchases and payments to suppliers are the books worker's
 * projections of the events. Runs in the push transaction.
 */
export async function writeResolution(db: Queryable, resolution: BatchResolution, context: WriteContext): Promise<void> {
  await db.query(writeStatement, [JSON.stringify(batchRows(resolution, context))]);
}

function batchRows({ outcomes, stock, storeProducts, customers }: BatchResolution, { userId }: WriteContext): BatchRows {
  const batch: BatchRows = {
    operations: [],
    movements: [],
    stock: [...stock.values()].map((c) => ({ store_id: c.storeId, product_id: c.productId, quantity: c.quantity, version: c.version })),
    store_products: [...storeProducts.values()].map((s) => ({
      store_id: s.storeId,
      product_id: s.productId,
      price: s.price,
      reorder_level: s.reorderLevel,
      active: s.active,
      version: s.version,
    })),
    customers: [...customers.values()].map((c) => ({
      store_id: c.storeId,
      id: c.id,
      name: c.name,
      phone: c.phone,
      credit_limit: c.creditLimit,
      merged_into: c.mergedInto,
      version: c.version,
    })),
    ledger: [],
    cash_closes: [],
    suppliers: [...supplierNamings(outcomes.filter((o) => o.status === 'applied').map((o) => o.operation)).values()].map((n) => ({
      store_id: n.storeId,
      key: n.key,
      name: n.name,
      phone: n.phone,
      note: n.note,
      edited: n.edited,
      named_at: n.at,
    })),
  };
  for (const [seq, o] of outcomes.entries()) {
    const op: Operation = o.operation;
    batch.operations.push({
      id: op.id,
      store_id: op.storeId,
      device_id: op.deviceId,
      user_id: userId,
      type: op.type,
      payload: op,
      status: o.status,
      discrepancy: o.discrepancy,
      reason: o.reason,
      message: o.message,
      current: o.current,
      effect: o.storeProduct,
      created_at: op.createdAt,
      // Its place in the batch: the relay publishes one store's events in this order.
      log_seq: seq,
    });
    for (const m of o.movements) {
      batch.movements.push({
        event_id: movementEventId(m.storeId, op.id, m.lineNo),
        operation_id: op.id,
        line_no: m.lineNo,
        store_id: m.storeId,
        product_id: m.productId,
        type: op.type,
        reason: op.type === 'adjustment' ? op.reason : null,
        delta: m.delta,
        resulting_quantity: m.quantity,
        resulting_version: m.version,
        base_version: m.baseVersion,
        discrepancy: m.discrepancy,
        device_id: op.deviceId,
        user_id: userId,
        client_time: op.createdAt,
      });
    }
    if (o.ledger) {
      batch.ledger.push({
        store_id: o.ledger.storeId,
        operation_id: op.id,
        customer_id: o.ledger.customerId,
        kind: o.ledger.kind,
        amount_paisa: o.ledger.amountPaisa,
        method: op.type === 'credit_payment' ? op.method : null,
        reference: op.type === 'credit_payment' ? (op.reference ?? null) : null,
        client_time: op.createdAt,
      });
    }
    if (o.cashClose && op.type === 'cash_close') {
      const c = o.cashClose;
      batch.cash_closes.push({
        store_id: c.storeId,
        day: c.day,
        seq: c.seq,
        operation_id: op.id,
        opening_float_paisa: toPaisa(op.openingFloat),
        cash_in_paisa: toPaisa(op.cashIn),
        paid_out_paisa: c.paidOutPaisa,
        expected_paisa: c.expectedPaisa,
        counted_paisa: c.countedPaisa,
        difference_paisa: c.differencePaisa,
        client_time: op.createdAt,
      });
    }
  }
  return batch;
}

/**
 * Works out again the accounts of the customers `named` (or that they are
 * another name for) from every entry they hold, by the device's own rules
 * (`account`), and keeps the result on the customer, so devices pull it.
 * Runs in the push transaction, after the batch's entries are written.
 */
export async function settleAccounts(db: Queryable, named: readonly { storeId: string; customerId: string }[]): Promise<void> {
  if (named.length === 0) return;
  const { rows } = await db.query<{ store_id: string; account_id: string; entries: (Omit<LedgerEntry, 'at'> & { at: string })[] }>(
    `WITH accounts AS (
       SELECT DISTINCT c.store_id, coalesce(c.merged_into, c.id) AS id
         FROM customers c JOIN unnest($1::uuid[], $2::uuid[]) AS k(store_id, id) USING (store_id, id)
     )
     SELECT a.store_id, a.id AS account_id,
            coalesce(json_agg(json_build_object('operationId', e.operation_id, 'storeId', e.store_id, 'customerId', e.customer_id, 'kind', e.kind,
                                                'amountPaisa', e.amount_paisa, 'at', e.client_time)) FILTER (WHERE e.operation_id IS NOT NULL), '[]') AS entries
       FROM accounts a
       JOIN customers c ON c.store_id = a.store_id AND (c.id = a.id OR c.merged_into = a.id)
       LEFT JOIN ledger_entries e ON e.store_id = c.store_id AND e.customer_id = c.id
      GROUP BY 1, 2`,
    [named.map((n) => n.storeId), named.map((n) => n.customerId)],
  );
  // json_build_object writes timestamps in the session's zone; the rules compare instants as ISO strings.
  const settled = rows.map((r) => ({ ...r, account: account(r.entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() }))) }));
  await db.query(
    `UPDATE customers c SET balance_paisa = u.balance, owed_since = u.owed_since, last_payment_at = u.last_payment_at
       FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::timestamptz[], $5::timestamptz[]) AS u(store_id, id, balance, owed_since, last_payment_at)
      WHERE c.store_id = u.store_id AND c.id = u.id
        AND (c.balance_paisa, c.owed_since, c.last_payment_at) IS DISTINCT FROM (u.balance, u.owed_since, u.last_payment_at)`,
    [
      settled.map((s) => s.store_id),
      settled.map((s) => s.account_id),
      settled.map((s) => s.account.balancePaisa),
      settled.map((s) => s.account.owedSince),
      settled.map((s) => s.account.lastPaymentAt),
    ],
  );
}
