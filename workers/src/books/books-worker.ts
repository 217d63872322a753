import { PurchaseEvent, SaleEvent, SupplierPaymentEvent, supplierKey, toPaisa, topics, type BazaarEvent } from '@bazaar/shared';
import type { Queryable, Worker } from '../runtime/worker';

/** One table's rows as a JSON array, inserted once: a row already there (a push of an older release wrote it) stays. */
async function insertRows(tx: Queryable, table: string, record: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = record.split(',').map((c) => c.trim().split(' ')[0]).join(', ');
  await tx.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS r(${record}) ON CONFLICT DO NOTHING`, [
    JSON.stringify(rows),
  ]);
}

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
    const sales: object[] = [];
    const saleLines: object[] = [];
    const purchases: object[] = [];
    const purchaseLines: object[] = [];
    const payments: object[] = [];
    for (const e of events) {
      const who = { operation_id: e.operationId, store_id: e.storeId, client_time: e.clientTime, server_time: e.occurredAt };
      if (e.type === 'sale.recorded' || e.type === 'return.recorded') {
        sales.push({
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
          saleLines.push({ store_id: e.storeId, operation_id: e.operationId, line_no: i, product_id: l.productId, quantity: l.quantity, unit_price: l.unitPrice, pack_size: l.packSize ?? 1 }),
        );
      } else if (e.type === 'purchase.recorded') {
        purchases.push({
          ...who,
          supplier: e.supplier,
          supplier_key: e.supplier?.trim() ? supplierKey(e.supplier) : null,
          invoice_ref: e.invoiceRef,
          paid: e.paid,
          total: e.total,
        });
        e.lines.forEach((l, i) =>
          purchaseLines.push({ store_id: e.storeId, operation_id: e.operationId, line_no: i, product_id: l.productId, quantity: l.quantity, unit_cost: l.unitCost, pack_size: l.packSize ?? 1 }),
        );
      } else if (e.type === 'supplier.paid') {
        payments.push({
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
    await insertRows(
      tx,
      'sales',
      'operation_id uuid, kind text, store_id uuid, device_id text, user_id uuid, payment_method text, customer_name text, customer_phone text, return_of uuid, total numeric, client_time timestamptz, server_time timestamptz',
      sales,
    );
    await insertRows(tx, 'sale_lines', 'store_id uuid, operation_id uuid, line_no int, product_id uuid, quantity numeric, unit_price numeric, pack_size int', saleLines);
    await insertRows(
      tx,
      'purchases',
      'operation_id uuid, store_id uuid, supplier text, supplier_key text, invoice_ref text, paid text, total numeric, client_time timestamptz, server_time timestamptz',
      purchases,
    );
    await insertRows(tx, 'purchase_lines', 'store_id uuid, operation_id uuid, line_no int, product_id uuid, quantity numeric, unit_cost numeric, pack_size int', purchaseLines);
    await insertRows(
      tx,
      'supplier_payments',
      'operation_id uuid, store_id uuid, supplier_key text, amount_paisa bigint, paid text, reference text, client_time timestamptz, recorded_at timestamptz',
      payments,
    );
  },
};
