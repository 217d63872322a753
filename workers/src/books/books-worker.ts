import { PurchaseEvent, SaleEvent, SupplierPaymentEvent, supplierKey, toPaisa, topics, type BazaarEvent } from '@bazaar/shared';
import { jsonInsert, jsonTable, type RowOf } from '@bazaar/shared/sql';
import type { Worker } from '../runtime/worker';

/** The books' tables, one definition each: the rows below and their INSERTs come from it. */
const booksTables = {
  sales: jsonTable({
    table: 'sales',
    columns: {
      operation_id: 'uuid', kind: 'text', store_id: 'uuid', device_id: 'text', user_id: 'uuid', payment_method: 'text?', customer_name: 'text?',
      customer_phone: 'text?', return_of: 'uuid?', total: 'numeric', client_time: 'timestamptz', server_time: 'timestamptz',
    },
    // A row already there (a push of an older release wrote it, or the event came again) stays.
    onConflict: 'DO NOTHING',
  }),
  sale_lines: jsonTable({
    table: 'sale_lines',
    columns: { store_id: 'uuid', operation_id: 'uuid', line_no: 'int', product_id: 'uuid', quantity: 'numeric', unit_price: 'numeric', pack_size: 'int' },
    onConflict: 'DO NOTHING',
  }),
  purchases: jsonTable({
    table: 'purchases',
    columns: {
      operation_id: 'uuid', store_id: 'uuid', supplier: 'text?', supplier_key: 'text?', invoice_ref: 'text?', paid: 'text?', total: 'numeric',
      client_time: 'timestamptz', server_time: 'timestamptz',
    },
    onConflict: 'DO NOTHING',
  }),
  purchase_lines: jsonTable({
    table: 'purchase_lines',
    columns: { store_id: 'uuid', operation_id: 'uuid', line_no: 'int', product_id: 'uuid', quantity: 'numeric', unit_cost: 'numeric', pack_size: 'int' },
    onConflict: 'DO NOTHING',
  }),
  supplier_payments: jsonTable({
    table: 'supplier_payments',
    columns: {
      operation_id: 'uuid', store_id: 'uuid', supplier_key: 'text', amount_paisa: 'bigint', paid: 'text?', reference: 'text?',
      client_time: 'timestamptz', recorded_at: 'timestamptz',
    },
    onConflict: 'DO NOTHING',
  }),
};
type BooksTables = typeof booksTables;
type BooksRows = { [T in keyof BooksTables]: RowOf<BooksTables[T]['columns']>[] };

/** Each table's insert, from its definition: `$1` is the array of its rows. */
const inserts = Object.fromEntries(Object.entries(booksTables).map(([name, table]) => [name, jsonInsert(table, '$1::jsonb')])) as Record<keyof BooksTables, string>;

/**
 * The books worker (issue 13): the sales, returns, purchases and payments to
 * suppliers the server reads (a sale's lines for reports, what each supplier
 * is owed, SPEC.md S3), kept from the events rather than written by every
 * push. A push writes the operation and its movements; these are a
 * projection of them, like the analytics tables.
 */
export const booksWorker: Worker = {
  name: 'books',
  topics: [topics.sales, topics.purchases],
  parse: (topic, payload): BazaarEvent => {
    if (topic === topics.sales) return SaleEvent.parse(payload);
    const type = (payload as { type?: unknown } | null)?.type;
    return type === 'supplier.paid' ? SupplierPaymentEvent.parse(payload) : PurchaseEvent.parse(payload);
  },
  async apply(tx, events) {
    const rows: BooksRows = { sales: [], sale_lines: [], purchases: [], purchase_lines: [], supplier_payments: [] };
    for (const e of events) {
      const who = { operation_id: e.operationId, store_id: e.storeId, client_time: e.clientTime, server_time: e.occurredAt };
      if (e.type === 'sale.recorded' || e.type === 'return.recorded') {
        rows.sales.push({
          ...who,
          kind: e.type === 'sale.recorded' ? 'sale' : 'return',
          device_id: e.deviceId,
          user_id: e.userId,
          payment_method: e.paymentMethod,
          customer_name: e.customerName,
          customer_phone: e.customerPhone ?? null,
          return_of: e.returnOf ?? null,
          total: e.total,
        });
        e.lines.forEach((l, i) =>
          rows.sale_lines.push({ store_id: e.storeId, operation_id: e.operationId, line_no: i, product_id: l.productId, quantity: l.quantity, unit_price: l.unitPrice, pack_size: l.packSize ?? 1 }),
        );
      } else if (e.type === 'purchase.recorded') {
        rows.purchases.push({
          ...who,
          supplier: e.supplier,
          supplier_key: e.supplier?.trim() ? supplierKey(e.supplier) : null,
          invoice_ref: e.invoiceRef,
          paid: e.paid,
          total: e.total,
        });
        e.lines.forEach((l, i) =>
          rows.purchase_lines.push({ store_id: e.storeId, operation_id: e.operationId, line_no: i, product_id: l.productId, quantity: l.quantity, unit_cost: l.unitCost, pack_size: l.packSize ?? 1 }),
        );
      } else if (e.type === 'supplier.paid') {
        rows.supplier_payments.push({
          operation_id: e.operationId,
          store_id: e.storeId,
          supplier_key: supplierKey(e.supplier),
          amount_paisa: toPaisa(e.amount),
          paid: e.paid,
          reference: e.reference,
          client_time: e.clientTime,
          recorded_at: e.occurredAt,
        });
      }
    }
    for (const name of Object.keys(rows) as (keyof BooksTables)[]) {
      if (rows[name].length > 0) await tx.query(inserts[name], [JSON.stringify(rows[name])]);
    }
  },
};
