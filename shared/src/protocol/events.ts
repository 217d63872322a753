import { z } from 'zod';
import { PurchasePaid } from './operations';

/**
 * Events the sync server publishes from its log (the log is the outbox). Every
 * event is keyed by store id, so one store's events keep their order within
 * a partition; delivery is at least once, so consumers deduplicate by
 * `eventId`. See docs/EVENTS.md.
 */
export const topics = {
  movements: 'inventory.movements',
  sales: 'sales.recorded',
  discrepancies: 'inventory.discrepancies',
  rejections: 'operations.rejected',
  storeProducts: 'catalog.store-products',
  /** Purchases and payments to suppliers, applied: the books worker keeps what the server reads of them. */
  purchases: 'purchases.recorded',
  /** A notice for each event the broker refused for good; the event itself waits in outbox_dead_letters. */
  deadLetters: 'outbox.dead-letters',
  /** Events a worker could not process after its retries, with the error; the worker went on. */
  workerDeadLetters: 'workers.dead-letters',
} as const;
export type Topic = (typeof topics)[keyof typeof topics];

const envelope = {
  eventId: z.uuid(),
  storeId: z.uuid(),
  operationId: z.uuid(),
  deviceId: z.string(),
  userId: z.uuid(),
  /** The device's clock: for the audit trail only. */
  clientTime: z.string(),
  /** The server's clock when it took the push that made the event. */
  occurredAt: z.string(),
};

export const MovementEvent = z.object({
  ...envelope,
  type: z.literal('stock.moved'),
  productId: z.uuid(),
  operationType: z.string(),
  adjustmentReason: z.string().nullable(),
  delta: z.number(),
  quantity: z.number(),
  version: z.number().int(),
  discrepancy: z.boolean(),
  /**
   * The operation's line this movement is (0 for the first), and its money:
   * `unitPrice` for a sale or return, `unitCost` for a purchase, and a sale's
   * `paymentMethod`. With them one store's movements, in their order, are all
   * the analytics projector reads. Absent on events written before they were added.
   */
  lineNo: z.number().int().min(0).optional(),
  unitPrice: z.number().optional(),
  unitCost: z.number().optional(),
  paymentMethod: z.enum(['cash', 'credit']).optional(),
  /**
   * A line by the pack (SPEC.md R13): `packSize` base units a pack, and its
   * exact price or cost per pack. `unitPrice`/`unitCost` stay per base unit
   * (the pack's ÷ packSize), so a reader that knows no packs still counts a
   * whole carton's money to the paisa.
   */
  packSize: z.number().int().positive().optional(),
  packPrice: z.number().optional(),
  packCost: z.number().optional(),
});
export type MovementEvent = z.infer<typeof MovementEvent>;

type LineMoney = Pick<MovementEvent, 'unitPrice' | 'unitCost' | 'packSize' | 'packPrice' | 'packCost'>;

/** A sale's, return's or purchase's line money as its movement event carries it (see `packSize` above). */
export function movementMoney(line: { unitPrice?: number | undefined; unitCost?: number | undefined; packSize?: number | undefined }): LineMoney {
  const { unitPrice, unitCost, packSize } = line;
  const money: LineMoney = {};
  if (packSize === undefined) {
    if (unitPrice !== undefined) money.unitPrice = unitPrice;
    if (unitCost !== undefined) money.unitCost = unitCost;
    return money;
  }
  money.packSize = packSize;
  if (unitPrice !== undefined) Object.assign(money, { unitPrice: unitPrice / packSize, packPrice: unitPrice });
  if (unitCost !== undefined) Object.assign(money, { unitCost: unitCost / packSize, packCost: unitCost });
  return money;
}

export const SaleEvent = z.object({
  ...envelope,
  type: z.enum(['sale.recorded', 'return.recorded']),
  /** As the device wrote them: a line by the pack counts packs at a price per pack (`packSize` base units each). */
  lines: z.array(z.object({ productId: z.uuid(), quantity: z.number(), unitPrice: z.number(), packSize: z.number().int().positive().optional() })),
  total: z.number(),
  paymentMethod: z.enum(['cash', 'credit']).nullable(),
  customerName: z.string().nullable(),
  /** Added with the books worker (issue 13); absent on events written before. A sale's customer's phone as typed. */
  customerPhone: z.string().nullable().optional(),
  /** A return's sale, when it names one (SPEC.md R12). */
  returnOf: z.uuid().nullable().optional(),
});
export type SaleEvent = z.infer<typeof SaleEvent>;

/** An applied purchase: its lines as the device wrote them (a line by the pack counts packs at a cost per pack). */
export const PurchaseEvent = z.object({
  ...envelope,
  type: z.literal('purchase.recorded'),
  lines: z.array(z.object({ productId: z.uuid(), quantity: z.number(), unitCost: z.number(), packSize: z.number().int().positive().optional() })),
  total: z.number(),
  supplier: z.string().nullable(),
  invoiceRef: z.string().nullable(),
  /** How it was paid; null on purchases from before it was asked. */
  paid: PurchasePaid.nullable(),
});
export type PurchaseEvent = z.infer<typeof PurchaseEvent>;

/** An applied payment to a supplier (SPEC.md S2). */
export const SupplierPaymentEvent = z.object({
  ...envelope,
  type: z.literal('supplier.paid'),
  supplier: z.string(),
  amount: z.number(),
  paid: z.enum(['drawer', 'elsewhere']),
  reference: z.string().nullable(),
});
export type SupplierPaymentEvent = z.infer<typeof SupplierPaymentEvent>;

export const DiscrepancyEvent = z.object({
  ...envelope,
  type: z.literal('stock.discrepancy'),
  productId: z.uuid(),
  quantity: z.number(),
  version: z.number().int(),
});
export type DiscrepancyEvent = z.infer<typeof DiscrepancyEvent>;

export const RejectionEvent = z.object({
  ...envelope,
  type: z.literal('operation.rejected'),
  operationType: z.string(),
  reason: z.string(),
  message: z.string(),
});
export type RejectionEvent = z.infer<typeof RejectionEvent>;

export const StoreProductEvent = z.object({
  ...envelope,
  type: z.literal('store-product.changed'),
  productId: z.uuid(),
  price: z.number().nullable(),
  reorderLevel: z.number().nullable(),
  active: z.boolean(),
  version: z.number().int(),
});
export type StoreProductEvent = z.infer<typeof StoreProductEvent>;

export type BazaarEvent = MovementEvent | SaleEvent | DiscrepancyEvent | RejectionEvent | StoreProductEvent | PurchaseEvent | SupplierPaymentEvent;
export interface OutboxEvent {
  topic: Topic;
  key: string;
  event: BazaarEvent;
}
