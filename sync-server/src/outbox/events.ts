import { hash as oneShot } from 'node:crypto';
import { linesTotal, movementMoney, topics, type BazaarEvent, type MovementEvent, type Operation, type OutboxEvent, type StoreProductState, type Topic } from '@bazaar/shared';

type EventBody = BazaarEvent extends infer E
  ? E extends BazaarEvent
    ? Omit<E, 'eventId' | 'storeId' | 'operationId' | 'deviceId' | 'userId' | 'clientTime' | 'occurredAt'>
    : never
  : never;

/**
 * An event's id, made from what identifies it in the log (its kind, store,
 * operation and line), so every reading of the log names the same events:
 * the relay reading a batch again after a crash, and a projection rebuilt
 * from the log, dedupe against what was delivered live. SHA-1 shaped as a
 * version 5 UUID.
 */
export function logEventId(kind: 'movement' | 'discrepancy' | 'sale' | 'purchase' | 'rejection' | 'store-product', storeId: string, operationId: string, lineNo = 0): string {
  // The one-shot hash: a relay at full speed makes three ids per sale, and a Hash object each cost twice as much.
  const hash = oneShot('sha1', `bazaar ${kind}\n${storeId}\n${operationId}\n${lineNo}`, 'buffer');
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A movement's event id (kept on the movement row too, for rebuilds). */
export const movementEventId = (storeId: string, operationId: string, lineNo: number): string => logEventId('movement', storeId, operationId, lineNo);

/** One line's stock movement, as the log keeps it; quantities in units. */
export interface LoggedMovement {
  lineNo: number;
  productId: string;
  delta: number;
  quantity: number;
  version: number;
  discrepancy: boolean;
}

/** One decided operation of the log, with its movements in line order: all its events are made from it. */
export interface LoggedOperation {
  operation: Operation;
  status: 'applied' | 'rejected';
  reason: string | null;
  message: string | null;
  /** An applied store product edit's resulting state. */
  effect: StoreProductState | null;
  userId: string;
  /** The server's clock when the push was taken. */
  receivedAt: string;
  movements: LoggedMovement[];
}

/**
 * The events one decided operation of the log produces, in their order. Pure:
 * the relay reads them from the log after commit, and reading the same
 * operation again gives the same events with the same ids.
 */
export function eventsFor(logged: LoggedOperation): OutboxEvent[] {
  const op = logged.operation;
  const envelope = {
    storeId: op.storeId,
    operationId: op.id,
    deviceId: op.deviceId,
    userId: logged.userId,
    clientTime: op.createdAt,
    occurredAt: logged.receivedAt,
  };
  const events: OutboxEvent[] = [];
  const emit = (topic: Topic, eventId: string, event: EventBody) =>
    events.push({ topic, key: op.storeId, event: { eventId, ...envelope, ...event } as BazaarEvent });

  if (logged.status === 'rejected') {
    emit(topics.rejections, logEventId('rejection', op.storeId, op.id), {
      type: 'operation.rejected',
      operationType: op.type,
      reason: logged.reason!,
      message: logged.message!,
    });
    return events;
  }

  for (const m of logged.movements) {
    emit(topics.movements, movementEventId(op.storeId, op.id, m.lineNo), {
      type: 'stock.moved',
      productId: m.productId,
      operationType: op.type,
      adjustmentReason: op.type === 'adjustment' ? op.reason : null,
      delta: m.delta,
      quantity: m.quantity,
      version: m.version,
      discrepancy: m.discrepancy,
      ...lineMoney(op, m.lineNo),
    });
    if (m.discrepancy) {
      emit(topics.discrepancies, logEventId('discrepancy', op.storeId, op.id, m.lineNo), {
        type: 'stock.discrepancy',
        productId: m.productId,
        quantity: m.quantity,
        version: m.version,
      });
    }
  }
  if (op.type === 'sale' || op.type === 'return') {
    emit(topics.sales, logEventId('sale', op.storeId, op.id), {
      type: op.type === 'sale' ? 'sale.recorded' : 'return.recorded',
      lines: op.lines,
      total: linesTotal(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice }))),
      paymentMethod: op.type === 'sale' ? op.payment.method : null,
      customerName: op.type === 'sale' ? (op.payment.customer?.name ?? null) : null,
      customerPhone: op.type === 'sale' ? (op.payment.customer?.phone ?? null) : null,
      returnOf: op.type === 'return' ? (op.saleId ?? null) : null,
    });
  }
  if (op.type === 'purchase') {
    emit(topics.purchases, logEventId('purchase', op.storeId, op.id), {
      type: 'purchase.recorded',
      lines: op.lines,
      total: linesTotal(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitCost }))),
      supplier: op.supplier ?? null,
      invoiceRef: op.invoiceRef ?? null,
      paid: op.paid ?? null,
    });
  }
  if (op.type === 'supplier_payment') {
    emit(topics.purchases, logEventId('purchase', op.storeId, op.id), {
      type: 'supplier.paid',
      supplier: op.supplier,
      amount: op.amount,
      paid: op.paid,
      reference: op.reference ?? null,
    });
  }
  if (logged.effect && op.type === 'store_product_update') {
    const sp = logged.effect;
    emit(topics.storeProducts, logEventId('store-product', op.storeId, op.id), {
      type: 'store-product.changed',
      productId: sp.productId,
      price: sp.price,
      reorderLevel: sp.reorderLevel,
      active: sp.active,
      version: sp.version,
    });
  }
  return events;
}

/** What a movement's line was worth: the sale's or return's price, the purchase's cost. */
function lineMoney(op: Operation, lineNo: number): Pick<MovementEvent, 'lineNo' | 'unitPrice' | 'unitCost' | 'paymentMethod' | 'packSize' | 'packPrice' | 'packCost'> {
  if (op.type === 'sale') return { lineNo, ...movementMoney({ unitPrice: op.lines[lineNo]!.unitPrice, packSize: op.lines[lineNo]!.packSize }), paymentMethod: op.payment.method };
  if (op.type === 'return') return { lineNo, ...movementMoney({ unitPrice: op.lines[lineNo]!.unitPrice, packSize: op.lines[lineNo]!.packSize }) };
  if (op.type === 'purchase') return { lineNo, ...movementMoney({ unitCost: op.lines[lineNo]!.unitCost, packSize: op.lines[lineNo]!.packSize }) };
  return { lineNo };
}
