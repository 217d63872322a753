import { createHash, randomUUID } from 'node:crypto';
import { fromMilli, linesTotal, movementMoney, topics, type BazaarEvent, type MovementEvent, type Operation, type Outcome, type OutboxEvent, type Topic } from '@bazaar/shared';

type EventBody = BazaarEvent extends infer E
  ? E extends BazaarEvent
    ? Omit<E, 'eventId' | 'storeId' | 'operationId' | 'deviceId' | 'userId' | 'clientTime' | 'occurredAt'>
    : never
  : never;

/**
 * A movement's event id, made from what identifies the movement (its store,
 * operation and line), so the movements log names the same event the topic
 * carried: a projection rebuilt from the log dedupes against live delivery.
 * SHA-1 shaped as a version 5 UUID.
 */
export function movementEventId(storeId: string, operationId: string, lineNo: number): string {
  const hash = createHash('sha1').update(`bazaar movement\n${storeId}\n${operationId}\n${lineNo}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The events one resolved operation produces. Pure apart from fresh event ids
 * (a movement's is derived, `movementEventId`) and the server's clock, so the push transaction can write them to the
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
  const emit = (topic: Topic, event: EventBody, eventId: string = randomUUID()) =>
    events.push({ topic, key: op.storeId, event: { eventId, ...envelope, ...event } as BazaarEvent });

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
    const movement: EventBody = {
      type: 'stock.moved',
      productId: m.productId,
      operationType: op.type,
      adjustmentReason: op.type === 'adjustment' ? op.reason : null,
      delta: fromMilli(m.delta),
      quantity: fromMilli(m.quantity),
      version: m.version,
      discrepancy: m.discrepancy,
      ...lineMoney(op, m.lineNo),
    };
    emit(topics.movements, movement, movementEventId(op.storeId, op.id, m.lineNo));
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
function lineMoney(op: Operation, lineNo: number): Pick<MovementEvent, 'lineNo' | 'unitPrice' | 'unitCost' | 'paymentMethod' | 'packSize' | 'packPrice' | 'packCost'> {
  if (op.type === 'sale') return { lineNo, ...movementMoney({ unitPrice: op.lines[lineNo]!.unitPrice, packSize: op.lines[lineNo]!.packSize }), paymentMethod: op.payment.method };
  if (op.type === 'return') return { lineNo, ...movementMoney({ unitPrice: op.lines[lineNo]!.unitPrice, packSize: op.lines[lineNo]!.packSize }) };
  if (op.type === 'purchase') return { lineNo, ...movementMoney({ unitCost: op.lines[lineNo]!.unitCost, packSize: op.lines[lineNo]!.packSize }) };
  return { lineNo };
}
