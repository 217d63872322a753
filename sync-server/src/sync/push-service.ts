import {
  mayPush,
  resolveBatch,
  linesTotal,
  toPaisa,
  supplierKey,
  supplierNamings,
  type Operation,
  type OperationDoc,
  type Outcome,
  type PushRow,
} from '@bazaar/shared';
import type { AuthenticatedUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { eventsFor, movementEventId } from '../outbox/events';
import { devicePayload, toOperationDoc, type OperationRow } from './operation-doc';
import { loadBatch, lockStores, settleAccounts, writeBatch, type BatchWrite } from './push-repository';

export interface PushResult {
  /** Master documents of the operations that conflict (RxDB's push answer). */
  conflicts: OperationDoc[];
  /** Stores whose pullable state changed, for the live stream and the relay. */
  changedStores: string[];
  applied: number;
  rejected: number;
}

/**
 * Applies one pushed batch (SPEC.md R1-R8). Authorisation is all or nothing:
 * one operation for a store the user may not act for refuses the whole push
 * before anything is written. The rest happens in one transaction.
 */
export async function pushOperations(
  db: Database,
  user: Pick<AuthenticatedUser, 'id' | 'role' | 'storeIds'>,
  rows: readonly PushRow[],
  context: { ip?: string | undefined } = {},
): Promise<PushResult> {
  for (const { newDocumentState: op } of rows) {
    if (!mayPush(user, op.type, op.storeId)) {
      throw new AppError('forbidden', `You may not push a ${op.type} for store ${op.storeId}; nothing in this push was saved.`, {
        operationId: op.id,
      });
    }
  }
  // A device may repeat an id inside one batch (a retried enqueue): the first one counts.
  // The same id for another store is not a repeat: it is refused as a duplicate (R11).
  const seen = new Set<string>();
  const operations = rows
    .map((r) => devicePayload(r.newDocumentState))
    .filter((op) => !seen.has(operationKey(op)) && seen.add(operationKey(op)));
  const storeIds = [...new Set(operations.map((o) => o.storeId))];

  return db.transaction(async (tx) => {
    await lockStores(tx, storeIds);
    const { existing, snapshot } = await loadBatch(tx, operations);
    const known = new Set(existing.map((e) => operationKey({ storeId: e.payload.storeId, id: e.id })));
    const fresh = operations.filter((op) => !known.has(operationKey(op)));
    const resolution = resolveBatch(fresh, snapshot);
    const now = new Date();
    const batch = toBatchWrite(resolution, user.id, now, context.ip ?? null);
    await writeBatch(tx, batch);
    // Every account an entry or a new name touched, worked out again from all its entries.
    await settleAccounts(tx, [
      ...resolution.outcomes.flatMap((o) => (o.ledger ? [{ storeId: o.ledger.storeId, customerId: o.ledger.customerId }] : [])),
      ...[...resolution.customers.values()].map((c) => ({ storeId: c.storeId, customerId: c.id })),
    ]);

    // Retries keep their first outcome, conflicts included (SPEC.md R1).
    const conflicts = [
      ...existing.filter((e) => e.reason === 'stale_version').map(toOperationDoc),
      ...resolution.outcomes.filter((o) => o.reason === 'stale_version').map((o) => toOperationDoc(outcomeRow(o, user.id, now))),
    ];
    return {
      conflicts,
      changedStores: [...new Set(fresh.map((o) => o.storeId))],
      applied: resolution.outcomes.filter((o) => o.status === 'applied').length,
      rejected: resolution.outcomes.filter((o) => o.status === 'rejected').length,
    };
  });
}

const operationKey = (op: { storeId: string; id: string }) => `${op.storeId}:${op.id}`;

function outcomeRow(o: Outcome, userId: string, now: Date): OperationRow {
  return {
    id: o.operation.id,
    user_id: userId,
    payload: o.operation,
    status: o.status,
    discrepancy: o.discrepancy,
    reason: o.reason,
    message: o.message,
    current: o.current,
    resolution: null,
    received_at: now,
    updated_at: now,
  };
}

function toBatchWrite({ outcomes, stock, storeProducts, customers }: ReturnType<typeof resolveBatch>, userId: string, now: Date, ip: string | null): BatchWrite {
  const batch: BatchWrite = {
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
    sales: [],
    sale_lines: [],
    purchases: [],
    purchase_lines: [],
    rejected: [],
    audit: [],
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
    supplier_payments: [],
    outbox: [],
  };
  for (const o of outcomes) {
    const op: Operation = o.operation;
    const who = { store_id: op.storeId, device_id: op.deviceId, user_id: userId };
    batch.operations.push({
      id: op.id,
      ...who,
      type: op.type,
      payload: op,
      status: o.status,
      discrepancy: o.discrepancy,
      reason: o.reason,
      message: o.message,
      current: o.current,
      created_at: op.createdAt,
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
        quantity: m.quantity,
        version: m.version,
        base_version: m.baseVersion,
        discrepancy: m.discrepancy,
        device_id: op.deviceId,
        user_id: userId,
        client_time: op.createdAt,
      });
    }
    if (o.status === 'rejected') {
      batch.rejected.push({ operation_id: op.id, store_id: op.storeId, reason: o.reason, message: o.message, payload: op });
    } else if (op.type === 'sale' || op.type === 'return') {
      batch.sales.push({
        operation_id: op.id,
        kind: op.type,
        ...who,
        payment_method: op.type === 'sale' ? op.payment.method : null,
        customer_name: op.type === 'sale' ? (op.payment.customer?.name ?? null) : null,
        customer_phone: op.type === 'sale' ? (op.payment.customer?.phone ?? null) : null,
        return_of: op.type === 'return' ? (op.saleId ?? null) : null,
        total: linesTotal(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice }))),
        client_time: op.createdAt,
      });
      op.lines.forEach((l, i) =>
        batch.sale_lines.push({ operation_id: op.id, line_no: i, product_id: l.productId, quantity: l.quantity, unit_price: l.unitPrice, pack_size: l.packSize ?? 1 }),
      );
    } else if (op.type === 'purchase') {
      batch.purchases.push({
        operation_id: op.id,
        store_id: op.storeId,
        supplier: op.supplier ?? null,
        invoice_ref: op.invoiceRef ?? null,
        paid: op.paid ?? null,
        supplier_key: op.supplier?.trim() ? supplierKey(op.supplier) : null,
        total: linesTotal(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitCost }))),
        client_time: op.createdAt,
      });
      op.lines.forEach((l, i) =>
        batch.purchase_lines.push({ operation_id: op.id, line_no: i, product_id: l.productId, quantity: l.quantity, unit_cost: l.unitCost, pack_size: l.packSize ?? 1 }),
      );
    }
    if (o.status === 'applied' && op.type === 'supplier_payment') {
      batch.supplier_payments.push({
        store_id: op.storeId,
        operation_id: op.id,
        supplier_key: supplierKey(op.supplier),
        amount_paisa: toPaisa(op.amount),
        paid: op.paid,
        reference: op.reference ?? null,
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
    if (o.storeProduct && op.type === 'store_product_update') {
      // Price and reorder changes are audited like the changes people make at the counter.
      batch.audit.push({
        actor_id: userId,
        action: 'store_product.updated',
        store_id: op.storeId,
        ip,
        details: { operationId: op.id, productId: op.productId, changes: op.changes, version: o.storeProduct.version },
      });
    }
    for (const e of eventsFor(o, userId, now)) {
      batch.outbox.push({ event_id: e.event.eventId, topic: e.topic, key: e.key, payload: e.event });
    }
  }
  return batch;
}
