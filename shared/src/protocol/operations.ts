import { z } from 'zod';
import { OperationReason } from './errors';
import { deviceTime, text } from './fields';
import { OperationResolution } from './resolutions';

/**
 * Operations are what a device records while it may be offline and pushes
 * later. Each has a device-made uuid that makes it idempotent: the server
 * applies an id once and answers every retry with the first outcome.
 *
 * These schemas check shape, types, and that text and times can be stored
 * at all. Whether a well-formed operation can be applied (a known product, a
 * positive quantity within range, an existing base version) is decided by
 * the domain rules in `domain/`, so that such an operation is kept and
 * refused with a reason instead of bounced as a 400.
 */

const uuid = z.uuid();

/** A wire number: any finite number. Its value is judged by the domain rules. */
const amount = z.number();

export const Customer = z.strictObject({
  name: text(120).trim().min(1),
  phone: text(32).trim().optional(),
});
export type Customer = z.infer<typeof Customer>;

export const Payment = z.strictObject({
  method: z.enum(['cash', 'credit']),
  /** Who is named on the sale, as typed at the counter (kept with the sale as it was). */
  customer: Customer.optional(),
  /** On credit: the ledger customer who owes it (SPEC.md L1). A sale naming one the server has not heard of creates it. */
  customerId: uuid.optional(),
});
export type Payment = z.infer<typeof Payment>;

/**
 * Sold or bought by the pack (SPEC.md R13): `quantity` counts packs of
 * `packSize` base units (a carton of 24) and the price is per pack. Absent,
 * the line is in the product's base unit (pieces, kilograms). Stock is always
 * kept in the base unit: the line moves quantity × packSize.
 */
const packSize = z.number().optional();

export const SaleLine = z.strictObject({
  productId: uuid,
  quantity: amount,
  unitPrice: amount,
  packSize,
});
export type SaleLine = z.infer<typeof SaleLine>;

export const PurchaseLine = z.strictObject({
  productId: uuid,
  quantity: amount,
  unitCost: amount,
  packSize,
});
export type PurchaseLine = z.infer<typeof PurchaseLine>;

/** `quantity` is a signed delta: -3 for three damaged packs. */
export const AdjustmentLine = z.strictObject({
  productId: uuid,
  quantity: amount,
});
export type AdjustmentLine = z.infer<typeof AdjustmentLine>;

/** "I counted `countedQuantity` of this product when its version was `baseVersion`." */
export const CountLine = z.strictObject({
  productId: uuid,
  countedQuantity: amount,
  baseVersion: z.number().int().min(0),
});
export type CountLine = z.infer<typeof CountLine>;

export const adjustmentReasons = ['damage', 'expiry', 'theft', 'correction'] as const;
export const AdjustmentReason = z.enum(adjustmentReasons);
export type AdjustmentReason = z.infer<typeof AdjustmentReason>;

export const OperationStatus = z.enum(['applied', 'rejected']);
export type OperationStatus = z.infer<typeof OperationStatus>;

export const StoreProductState = z.strictObject({
  productId: uuid,
  storeId: uuid,
  price: z.number().nullable(),
  reorderLevel: z.number().nullable(),
  active: z.boolean(),
  version: z.number().int().min(0),
});
export type StoreProductState = z.infer<typeof StoreProductState>;

/**
 * The server's verdict on an operation (protocol 7, SPEC.md P4). A pulled
 * operation carries it beside what the device wrote, never merged into it.
 */
export const OperationOutcome = z.strictObject({
  status: OperationStatus,
  /** Applied, and flagged for a person: stock below zero, a return beyond its sale, a drawer that does not match. */
  discrepancy: z.boolean(),
  /** Null when applied cleanly. */
  reason: OperationReason.nullable(),
  message: z.string().nullable(),
  /** On a `stale_version` conflict: the state the edit lost against. */
  current: StoreProductState.nullable(),
  /** What a person decided about a refused or flagged operation (SPEC.md R9). */
  resolution: OperationResolution.nullable(),
  /** Who pushed it. */
  userId: z.string(),
  /** The server's clock when it was applied or refused. */
  receivedAt: z.string(),
});
export type OperationOutcome = z.infer<typeof OperationOutcome>;

const base = {
  id: uuid,
  storeId: uuid,
  deviceId: text(128).min(1),
  createdAt: deviceTime,
};

const lines = <T extends z.ZodType>(line: T) => z.array(line).min(1).max(500);

export const SaleOperation = z.strictObject({
  ...base,
  type: z.literal('sale'),
  lines: lines(SaleLine),
  payment: Payment,
});

export const ReturnOperation = z.strictObject({
  ...base,
  type: z.literal('return'),
  lines: lines(SaleLine),
  /** The sale being returned against, when the device knows it. */
  saleId: uuid.optional(),
  /** Refunded to this customer's account (it lowers what they owe) instead of from the drawer. */
  customerId: uuid.optional(),
  note: text(500).optional(),
});

/**
 * How a purchase was paid (protocol 6): cash from the drawer (the day book
 * counts it out of the drawer, so the close expects it gone), owed to the
 * supplier, or paid from elsewhere (a bank, the owner's pocket). Absent on
 * purchases recorded before it was asked.
 */
export const purchasePaidFrom = ['drawer', 'owed', 'elsewhere'] as const;
export const PurchasePaid = z.enum(purchasePaidFrom);
export type PurchasePaid = z.infer<typeof PurchasePaid>;

export const PurchaseOperation = z.strictObject({
  ...base,
  type: z.literal('purchase'),
  lines: lines(PurchaseLine),
  supplier: text(120).trim().optional(),
  invoiceRef: text(64).trim().optional(),
  paid: PurchasePaid.optional(),
});

export const AdjustmentOperation = z.strictObject({
  ...base,
  type: z.literal('adjustment'),
  lines: lines(AdjustmentLine),
  reason: AdjustmentReason,
  note: text(500).optional(),
});

export const CountOperation = z.strictObject({
  ...base,
  type: z.literal('count'),
  lines: lines(CountLine),
});

/**
 * An owner's edit of a product's state in one store. Optimistic: it applies
 * only if `baseVersion` is the current version of that store product.
 */
export const StoreProductUpdateOperation = z.strictObject({
  ...base,
  type: z.literal('store_product_update'),
  productId: uuid,
  baseVersion: z.number().int().min(0),
  changes: z.strictObject({
    price: z.number().nullable().optional(),
    reorderLevel: z.number().nullable().optional(),
    active: z.boolean().optional(),
  }),
});

/**
 * A ledger customer made or edited on a device (SPEC.md L2). The id is made
 * by the device; a new id whose phone the store already has becomes another
 * name for that customer, so two phones that added the same regular offline
 * end with one account.
 */
export const CustomerOperation = z.strictObject({
  ...base,
  type: z.literal('customer'),
  customerId: uuid,
  name: text(120).trim().min(1),
  /** As typed; kept in the 92… form (`normalizePhone`). */
  phone: text(32).trim().optional(),
  /** Rupees a customer may owe before the counter is warned; null for none. */
  creditLimit: amount.nullable().optional(),
});

export const receiptMethods = ['cash', 'jazzcash', 'easypaisa', 'bank'] as const;
export const ReceiptMethod = z.enum(receiptMethods);
export type ReceiptMethod = z.infer<typeof ReceiptMethod>;

/** Money a customer paid against what they owe (SPEC.md L3). */
export const CreditPaymentOperation = z.strictObject({
  ...base,
  type: z.literal('credit_payment'),
  customerId: uuid,
  /** Rupees, at most 2 decimals. */
  amount,
  method: ReceiptMethod,
  /** A wallet's or bank's transaction id. */
  reference: text(64).trim().optional(),
  note: text(500).optional(),
});

/**
 * A supplier the shop buys from, added or edited on a device (SPEC.md S1).
 * A supplier is known in its store by its name, whatever its case or spacing
 * (`supplierKey`), so two tablets that add the same supplier offline end
 * with one; the latest edit of a name sets its phone and note.
 */
export const SupplierOperation = z.strictObject({
  ...base,
  type: z.literal('supplier'),
  name: text(120).trim().min(1),
  /** As typed; kept in the 92… form (`normalizePhone`). */
  phone: text(32).trim().optional(),
  note: text(500).trim().optional(),
});

/** Money paid to a supplier against what the shop owes them (SPEC.md S2). */
export const SupplierPaymentOperation = z.strictObject({
  ...base,
  type: z.literal('supplier_payment'),
  /** The supplier's name, as on their purchases. */
  supplier: text(120).trim().min(1),
  /** Rupees, at most 2 decimals. */
  amount,
  /** From the drawer (the day book counts it out) or from elsewhere (a bank, the owner's pocket). */
  paid: z.enum(['drawer', 'elsewhere']),
  /** A bank's or wallet's transaction id, a cheque's number. */
  reference: text(64).trim().optional(),
  note: text(500).optional(),
});

/** Cash taken from the drawer during the day: a supplier paid, tea, change for the bank. */
export const CashPaidOut = z.strictObject({
  /** Rupees, above zero, at most 2 decimals. */
  amount,
  note: text(120).trim().min(1),
});
export type CashPaidOut = z.infer<typeof CashPaidOut>;

/**
 * The day's close (SPEC.md C1-C3): the cash counted in the drawer against
 * what the day's records expect, as the counter saw them when closing.
 * Expected = openingFloat + cashIn - paid out (`closeFigures`). A second
 * close of the same store and day is a correction; the last one stands.
 */
export const CashCloseOperation = z.strictObject({
  ...base,
  type: z.literal('cash_close'),
  /** The shop's calendar day closed, YYYY-MM-DD, as the device's calendar has it. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'),
  /** Rupees in the drawer when the day began. */
  openingFloat: amount,
  /** The day book's cash in when closing: cash sales - refunds from the drawer + udhaar paid in cash - suppliers paid from the drawer. May be below zero. */
  cashIn: amount,
  paidOut: z.array(CashPaidOut).max(50),
  /** Rupees counted in the drawer. */
  counted: amount,
  note: text(500).optional(),
});

export const Operation = z.discriminatedUnion('type', [
  SaleOperation,
  ReturnOperation,
  PurchaseOperation,
  AdjustmentOperation,
  CountOperation,
  StoreProductUpdateOperation,
  CustomerOperation,
  CreditPaymentOperation,
  CashCloseOperation,
  SupplierOperation,
  SupplierPaymentOperation,
]);
export type Operation = z.infer<typeof Operation>;
export type OperationType = Operation['type'];
export type SaleOperation = z.infer<typeof SaleOperation>;
export type ReturnOperation = z.infer<typeof ReturnOperation>;
export type PurchaseOperation = z.infer<typeof PurchaseOperation>;
export type AdjustmentOperation = z.infer<typeof AdjustmentOperation>;
export type CountOperation = z.infer<typeof CountOperation>;
export type StoreProductUpdateOperation = z.infer<typeof StoreProductUpdateOperation>;
export type CustomerOperation = z.infer<typeof CustomerOperation>;
export type CreditPaymentOperation = z.infer<typeof CreditPaymentOperation>;
export type CashCloseOperation = z.infer<typeof CashCloseOperation>;
export type SupplierOperation = z.infer<typeof SupplierOperation>;
export type SupplierPaymentOperation = z.infer<typeof SupplierPaymentOperation>;
export const operationTypes = Operation.options.map((o) => o.shape.type.value) as OperationType[];

/**
 * Fields of the server's that a device may send back with an operation, as
 * RxDB pushes whole documents: the `outcome` (protocol 7), or its fields
 * merged into the operation as apps of protocols 1-6 pulled them (`reason`
 * on anything but an adjustment, `adjustmentReason` for an adjustment's
 * own). They are dropped before the operation is read: the server decides
 * them.
 */
const serverFields = ['outcome', 'userId', 'status', 'discrepancy', 'message', 'receivedAt', 'current', 'adjustmentReason', 'resolution', 'updatedAt', '_deleted'];

/** The operation as the device wrote it, without anything of the server's it sent back. */
export function withoutServerFields(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const operation: Record<string, unknown> = { ...document };
  for (const field of serverFields) delete operation[field];
  if (operation.type !== 'adjustment') delete operation.reason;
  return operation;
}

/** An operation as a device pushes it: read as `Operation` once the server's fields are dropped. */
export const PushedOperation = z.preprocess(withoutServerFields, Operation);
