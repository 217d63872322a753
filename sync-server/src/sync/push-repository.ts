import {
  account,
  cellKey,
  dayKey,
  historyKey,
  operationProblem,
  limits,
  normalizePhone,
  phoneKey,
  type BatchSnapshot,
  type CustomerState,
  type LedgerEntry,
  type Operation,
  type OutboxEvent,
  type Returnable,
  type StockCell,
  type StoreProductState,
} from '@bazaar/shared';
import type { Queryable } from '../db/database';
import type { OperationRow } from './operation-doc';

/**
 * Serialises pushes per store. Taken in sorted order, so two batches that
 * touch the same stores cannot deadlock; it also makes one store's outbox
 * rows commit in id order, which keeps its events in order on Kafka.
 */
export async function lockStores(db: Queryable, storeIds: readonly string[]): Promise<void> {
  for (const storeId of [...storeIds].sort()) {
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('store:' || $1, 0))`, [storeId]);
  }
}

export interface LoadedBatch {
  existing: OperationRow[];
  snapshot: BatchSnapshot;
}

/**
 * Reads, in one round trip, everything resolving `operations` needs; stock
 * rows are locked. `existing` holds the batch's operations already stored in
 * their own store (retries); another store's rows are only ever seen as the
 * id they hold (`takenIds`), never returned.
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
    taken: { id: string; store_id: string }[];
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
     ), taken AS (
       SELECT id, store_id FROM operations WHERE id = ANY($1::uuid[]) AND reason IS DISTINCT FROM 'duplicate_id'
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
       SELECT DISTINCT s.store_id, s.operation_id AS sale_id
         FROM sales s JOIN unnest($17::uuid[], $18::uuid[]) AS k(store_id, sale_id) ON s.store_id = k.store_id AND s.operation_id = k.sale_id
        WHERE s.kind = 'sale'
     ), sale_returns AS (
       -- Sold, less what applied returns naming the sale took back, per product.
       SELECT n.store_id, n.sale_id, x.product_id, sum(x.milli)::float8 AS left_milli
         FROM named_sales n
         CROSS JOIN LATERAL (
           SELECT l.product_id, l.quantity * l.pack_size * 1000 AS milli FROM sale_lines l WHERE l.operation_id = n.sale_id
           UNION ALL
           SELECT l.product_id, -l.quantity * l.pack_size * 1000 FROM sales r JOIN sale_lines l ON l.operation_id = r.operation_id
            WHERE r.store_id = n.store_id AND r.return_of = n.sale_id AND r.kind = 'return'
         ) x
        GROUP BY 1, 2, 3
     )
     SELECT (SELECT coalesce(json_agg(e), '[]') FROM existing e) AS existing,
            (SELECT coalesce(json_agg(t), '[]') FROM taken t) AS taken,
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
      takenIds: new Map(row.taken.map((t) => [t.id, t.store_id])),
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

/** Every row one pushed batch writes, as plain JSON; quantities in thousandths. */
export interface BatchWrite {
  operations: object[];
  movements: object[];
  stock: object[];
  store_products: object[];
  sales: object[];
  sale_lines: object[];
  purchases: object[];
  purchase_lines: object[];
  rejected: object[];
  audit: object[];
  customers: object[];
  ledger: object[];
  cash_closes: object[];
  suppliers: object[];
  supplier_payments: object[];
  outbox: { event_id: string; topic: string; key: string; payload: object }[];
}

/**
 * Writes a batch in one statement: each CTE inserts one table from the same
 * JSON document. Foreign keys are checked at the end of the statement, so the
 * order of the CTEs does not matter.
 */
export async function writeBatch(db: Queryable, batch: BatchWrite): Promise<void> {
  await db.query(
    `WITH d AS (SELECT $1::jsonb AS j),
     ops AS (
       INSERT INTO operations (id, store_id, device_id, user_id, type, payload, status, discrepancy, reason, message, current, created_at)
       SELECT o.id, o.store_id, o.device_id, o.user_id, o.type, o.payload, o.status, o.discrepancy, o.reason, o.message, o.current, o.created_at
         FROM d, jsonb_to_recordset(d.j->'operations') AS o(id uuid, store_id uuid, device_id text, user_id uuid, type text,
              payload jsonb, status text, discrepancy boolean, reason text, message text, current jsonb, created_at timestamptz)
     ), mv AS (
       INSERT INTO movements (event_id, operation_id, line_no, store_id, product_id, type, reason, delta, resulting_quantity,
                              resulting_version, base_version, discrepancy, device_id, user_id, client_time)
       SELECT m.event_id, m.operation_id, m.line_no, m.store_id, m.product_id, m.type, m.reason, m.delta / 1000.0, m.quantity / 1000.0,
              m.version, m.base_version, m.discrepancy, m.device_id, m.user_id, m.client_time
         FROM d, jsonb_to_recordset(d.j->'movements') AS m(event_id uuid, operation_id uuid, line_no int, store_id uuid, product_id uuid,
              type text, reason text, delta bigint, quantity bigint, version int, base_version int, discrepancy boolean,
              device_id text, user_id uuid, client_time timestamptz)
     ), st AS (
       INSERT INTO stock (store_id, product_id, quantity, version)
       SELECT s.store_id, s.product_id, s.quantity / 1000.0, s.version
         FROM d, jsonb_to_recordset(d.j->'stock') AS s(store_id uuid, product_id uuid, quantity bigint, version int)
       ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, version = EXCLUDED.version
     ), sp AS (
       INSERT INTO store_products (store_id, product_id, price, reorder_level, active, version)
       SELECT s.store_id, s.product_id, s.price, s.reorder_level, s.active, s.version
         FROM d, jsonb_to_recordset(d.j->'store_products') AS s(store_id uuid, product_id uuid, price numeric,
              reorder_level numeric, active boolean, version int)
       ON CONFLICT (store_id, product_id) DO UPDATE
          SET price = EXCLUDED.price, reorder_level = EXCLUDED.reorder_level, active = EXCLUDED.active, version = EXCLUDED.version
     ), sa AS (
       INSERT INTO sales (operation_id, kind, store_id, device_id, user_id, payment_method, customer_name, customer_phone,
                          return_of, total, client_time)
       SELECT s.operation_id, s.kind, s.store_id, s.device_id, s.user_id, s.payment_method, s.customer_name, s.customer_phone,
              s.return_of, s.total, s.client_time
         FROM d, jsonb_to_recordset(d.j->'sales') AS s(operation_id uuid, kind text, store_id uuid, device_id text, user_id uuid,
              payment_method text, customer_name text, customer_phone text, return_of uuid, total numeric, client_time timestamptz)
     ), sl AS (
       INSERT INTO sale_lines (operation_id, line_no, product_id, quantity, unit_price, pack_size)
       SELECT l.operation_id, l.line_no, l.product_id, l.quantity, l.unit_price, l.pack_size
         FROM d, jsonb_to_recordset(d.j->'sale_lines') AS l(operation_id uuid, line_no int, product_id uuid, quantity numeric, unit_price numeric, pack_size int)
     ), pu AS (
       INSERT INTO purchases (operation_id, store_id, supplier, supplier_key, invoice_ref, paid, total, client_time)
       SELECT p.operation_id, p.store_id, p.supplier, p.supplier_key, p.invoice_ref, p.paid, p.total, p.client_time
         FROM d, jsonb_to_recordset(d.j->'purchases') AS p(operation_id uuid, store_id uuid, supplier text, supplier_key text, invoice_ref text,
              paid text, total numeric, client_time timestamptz)
     ), pl AS (
       INSERT INTO purchase_lines (operation_id, line_no, product_id, quantity, unit_cost, pack_size)
       SELECT l.operation_id, l.line_no, l.product_id, l.quantity, l.unit_cost, l.pack_size
         FROM d, jsonb_to_recordset(d.j->'purchase_lines') AS l(operation_id uuid, line_no int, product_id uuid, quantity numeric, unit_cost numeric, pack_size int)
     ), au AS (
       INSERT INTO audit_log (actor_id, action, store_id, ip, details)
       SELECT a.actor_id, a.action, a.store_id, a.ip, a.details
         FROM d, jsonb_to_recordset(d.j->'audit') AS a(actor_id uuid, action text, store_id uuid, ip text, details jsonb)
     ), cu AS (
       INSERT INTO customers (store_id, id, name, phone, credit_limit, merged_into, version)
       SELECT c.store_id, c.id, c.name, c.phone, c.credit_limit, c.merged_into, c.version
         FROM d, jsonb_to_recordset(d.j->'customers') AS c(store_id uuid, id uuid, name text, phone text, credit_limit numeric,
              merged_into uuid, version int)
       ON CONFLICT (store_id, id) DO UPDATE
          SET name = EXCLUDED.name, phone = EXCLUDED.phone, credit_limit = EXCLUDED.credit_limit, version = EXCLUDED.version
     ), le AS (
       INSERT INTO ledger_entries (store_id, operation_id, customer_id, kind, amount_paisa, method, reference, client_time)
       SELECT l.store_id, l.operation_id, l.customer_id, l.kind, l.amount_paisa, l.method, l.reference, l.client_time
         FROM d, jsonb_to_recordset(d.j->'ledger') AS l(store_id uuid, operation_id uuid, customer_id uuid, kind text, amount_paisa bigint,
              method text, reference text, client_time timestamptz)
     ), cc AS (
       INSERT INTO cash_closes (store_id, day, seq, operation_id, opening_float_paisa, cash_in_paisa, paid_out_paisa, expected_paisa,
                                counted_paisa, difference_paisa, client_time)
       SELECT c.store_id, c.day, c.seq, c.operation_id, c.opening_float_paisa, c.cash_in_paisa, c.paid_out_paisa, c.expected_paisa,
              c.counted_paisa, c.difference_paisa, c.client_time
         FROM d, jsonb_to_recordset(d.j->'cash_closes') AS c(store_id uuid, day date, seq int, operation_id uuid, opening_float_paisa bigint,
              cash_in_paisa bigint, paid_out_paisa bigint, expected_paisa bigint, counted_paisa bigint, difference_paisa bigint,
              client_time timestamptz)
     ), su AS (
       -- The order of \`supersedes\` (S1): an edit over a typed name, and among the same kind the later.
       INSERT INTO suppliers (store_id, key, name, phone, note, edited, named_at)
       SELECT s.store_id, s.key, s.name, s.phone, s.note, s.edited, s.named_at
         FROM d, jsonb_to_recordset(d.j->'suppliers') AS s(store_id uuid, key text, name text, phone text, note text, edited boolean, named_at timestamptz)
       ON CONFLICT (store_id, key) DO UPDATE
          SET name = EXCLUDED.name,
              phone = CASE WHEN EXCLUDED.edited THEN EXCLUDED.phone ELSE suppliers.phone END,
              note = CASE WHEN EXCLUDED.edited THEN EXCLUDED.note ELSE suppliers.note END,
              edited = suppliers.edited OR EXCLUDED.edited,
              named_at = EXCLUDED.named_at
        WHERE (EXCLUDED.edited AND NOT suppliers.edited) OR (EXCLUDED.edited = suppliers.edited AND EXCLUDED.named_at >= suppliers.named_at)
     ), spay AS (
       INSERT INTO supplier_payments (store_id, operation_id, supplier_key, amount_paisa, paid, reference, client_time)
       SELECT p.store_id, p.operation_id, p.supplier_key, p.amount_paisa, p.paid, p.reference, p.client_time
         FROM d, jsonb_to_recordset(d.j->'supplier_payments') AS p(store_id uuid, operation_id uuid, supplier_key text, amount_paisa bigint,
              paid text, reference text, client_time timestamptz)
     ), rj AS (
       INSERT INTO rejected_operations (operation_id, store_id, reason, message, payload)
       SELECT r.operation_id, r.store_id, r.reason, r.message, r.payload
         FROM d, jsonb_to_recordset(d.j->'rejected') AS r(operation_id uuid, store_id uuid, reason text, message text, payload jsonb)
     )
     INSERT INTO outbox (event_id, topic, key, payload)
     SELECT (e.x->>'event_id')::uuid, e.x->>'topic', e.x->>'key', e.x->'payload'
       FROM d, jsonb_array_elements(d.j->'outbox') WITH ORDINALITY AS e(x, n)
      ORDER BY e.n`,
    [JSON.stringify(batch)],
  );
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
