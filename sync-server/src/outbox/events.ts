import { randomUUID } from 'node:crypto';
import { fromMilli, linesTotal, topics, type BazaarEvent, type MovementEvent, type Operation, type Outcome, type OutboxEvent, type Topic } from '@bazaar/shared';

type EventBody = BazaarEvent extends infer E
  ? E extends BazaarEvent
    ? Omit<E, 'eventId' | 'storeId' | 'operationId' | 'deviceId' | 'userId' | 'clientTime' | 'occurredAt'>
    : never
  : never;

/**
 * The events one resolved operation produces. Pure apart from fresh event ids
 * and the server's clock, so the push transaction can write them to the
 * outbox next to the change they describe.
 */
export function eventsFor(outcome: Outcome, userId: string, now: Date): OutboxEvent[] {
  const op = outcome.operation;
  const envelope = {
    storeId: op.storeId,
    operationId: op.id,
    deviceId: op.deviceId,
    userId,
    clientTime: op.createdAt,
    occurredAt: now.toISOString(),
  };
  const events: OutboxEvent[] = [];
  const emit = (topic: Topic, event: EventBody) =>
    events.push({ topic, key: op.storeId, event: { eventId: randomUUID(), ...envelope, ...event } as BazaarEvent });

  if (outcome.status === 'rejected') {
    emit(topics.rejections, {
      type: 'operation.rejected',
      operationType: op.type,
      reason: outcome.reason!,
      message: outcome.message!,
    });
    return events;
  }

  for (const m of outcome.movements) {
    emit(topics.movements, {
      type: 'stock.moved',
      productId: m.productId,
      operationType: op.type,
      adjustmentReason: op.type === 'adjustment' ? op.reason : null,
      delta: fromMilli(m.delta),
      quantity: fromMilli(m.quantity),
      version: m.version,
      discrepancy: m.discrepancy,
      ...lineMoney(op, m.lineNo),
    });
    if (m.discrepancy) {
      emit(topics.discrepancies, {
        type: 'stock.discrepancy',
        productId: m.productId,
        quantity: fromMilli(m.quantity),
        version: m.version,
      });
    }
  }
  if (op.type === 'sale' || op.type === 'return') {
    emit(topics.sales, {
      type: op.type === 'sale' ? 'sale.recorded' : 'return.recorded',
      lines: op.lines,
      total: linesTotal(op.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice }))),
      paymentMethod: op.type === 'sale' ? op.payment.method : null,
      customerName: op.type === 'sale' ? (op.payment.customer?.name ?? null) : null,
    });
  }
  if (outcome.storeProduct) {
    const sp = outcome.storeProduct;
    emit(topics.storeProducts, {
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
function lineMoney(op: Operation, lineNo: number): Pick<MovementEvent, 'lineNo' | 'unitPrice' | 'unitCost' | 'paymentMethod'> {
  if (op.type === 'sale') return { lineNo, unitPrice: op.lines[lineNo]!.unitPrice, paymentMethod: op.payment.method };
  if (op.type === 'return') return { lineNo, unitPrice: op.lines[lineNo]!.unitPrice };
  if (op.type === 'purchase') return { lineNo, unitCost: op.lines[lineNo]!.unitCost };
  return { lineNo };
}
