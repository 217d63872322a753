import { z } from 'zod';

/**
 * Events the sync server publishes through its transactional outbox. Every
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
  /** The server's clock when the event was written. */
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
});
export type MovementEvent = z.infer<typeof MovementEvent>;

export const SaleEvent = z.object({
  ...envelope,
  type: z.enum(['sale.recorded', 'return.recorded']),
  lines: z.array(z.object({ productId: z.uuid(), quantity: z.number(), unitPrice: z.number() })),
  total: z.number(),
  paymentMethod: z.enum(['cash', 'credit']).nullable(),
  customerName: z.string().nullable(),
});
export type SaleEvent = z.infer<typeof SaleEvent>;

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

export type BazaarEvent = MovementEvent | SaleEvent | DiscrepancyEvent | RejectionEvent | StoreProductEvent;
export interface OutboxEvent {
  topic: Topic;
  key: string;
  event: BazaarEvent;
}
