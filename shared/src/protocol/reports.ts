import { z } from 'zod';
import { StoreIdList } from './fields';

/** A calendar day in the store's time zone. */
const Day = z.iso.date();

/** The longest range one report covers (a year and a day): larger asks are split by the caller. */
export const MAX_REPORT_DAYS = 367;

/**
 * `GET /api/reports/sales`: what the analytics projector computed, for stores
 * the caller may see. `storeIds` absent means every store in scope.
 */
export const SalesReportQuery = z
  .strictObject({
    storeIds: StoreIdList,
    from: Day,
    to: Day,
    groupBy: z.enum(['day', 'hour', 'product', 'store']).default('day'),
  })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_DAYS, {
    message: `a report covers at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  });
export type SalesReportQuery = z.infer<typeof SalesReportQuery>;

/**
 * One group's figures. Money in rupees (at most 2 decimals, summed in paisa);
 * units in the product's unit (at most 3 decimals). `sales` counts sales (for
 * `groupBy=product`, the sales the product was in); `cost` is of the units
 * whose cost a purchase gave, and `margin` is their revenue less that cost.
 * Returns are apart: `returns` (count), `returnedUnits`, `refunds`.
 */
export const SalesReportRow = z.strictObject({
  key: z.string(),
  sales: z.number().int(),
  units: z.number(),
  revenue: z.number(),
  cost: z.number(),
  margin: z.number(),
  cash: z.number(),
  credit: z.number(),
  returns: z.number().int(),
  returnedUnits: z.number(),
  refunds: z.number(),
});
export type SalesReportRow = z.infer<typeof SalesReportRow>;

export const SalesReport = z.strictObject({
  rows: z.array(SalesReportRow),
  /** The server time of the latest event the projection holds for these stores; null before any. */
  asOf: z.string().nullable(),
});
export type SalesReport = z.infer<typeof SalesReport>;

export const alertKinds = ['low_stock', 'negative_stock', 'count_mismatch', 'store_silent'] as const;
export const AlertKind = z.enum(alertKinds);
export type AlertKind = z.infer<typeof AlertKind>;

/** `GET /api/alerts`: a store's alerts, open ones by default. */
export const AlertsQuery = z.strictObject({
  storeId: z.uuid(),
  status: z.enum(['open', 'cleared', 'all']).default('open'),
});
export type AlertsQuery = z.infer<typeof AlertsQuery>;

/** One alert: open while its condition holds (`clearedAt` null), cleared by itself when it stops. */
export const Alert = z.strictObject({
  id: z.uuid(),
  storeId: z.uuid(),
  productId: z.uuid().nullable(),
  kind: AlertKind,
  openedAt: z.string(),
  clearedAt: z.string().nullable(),
  /** What it was judged on: `quantity` and `reorderLevel` for stock alerts, `difference` and `countedQuantity` for a count. */
  detail: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof Alert>;

export const AlertList = z.strictObject({ alerts: z.array(Alert) });
export type AlertList = z.infer<typeof AlertList>;

/** `GET /api/replenishment`: a store's suggested orders, most needed first. */
export const ReplenishmentQuery = z.strictObject({
  storeId: z.uuid(),
  /** Only products with something to order (the default), or every product the worker knows. */
  all: z.enum(['true', 'false']).default('false'),
});
export type ReplenishmentQuery = z.infer<typeof ReplenishmentQuery>;

export const ReplenishmentSuggestion = z.strictObject({
  productId: z.uuid(),
  /** The local day the sales window ends on. */
  asOf: z.string(),
  onHand: z.number(),
  reorderLevel: z.number().nullable(),
  dailyVelocity: z.number(),
  leadTimeDays: z.number().int(),
  suggestedQuantity: z.number(),
  /** Every number the suggestion used (workers/src/replenishment/suggest.ts), so an owner can check it. */
  basis: z.record(z.string(), z.unknown()),
});
export type ReplenishmentSuggestion = z.infer<typeof ReplenishmentSuggestion>;

export const ReplenishmentList = z.strictObject({ suggestions: z.array(ReplenishmentSuggestion) });
export type ReplenishmentList = z.infer<typeof ReplenishmentList>;

/**
 * `GET /api/stores/:storeId/suppliers`: the store's suppliers and what the
 * shop owes each (SPEC.md S3), worked out as `supplierBook` works it out on
 * the device: owed purchases less payments, in paisa.
 */
export const SupplierSummary = z.strictObject({
  key: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  owedPaisa: z.number().int(),
  purchases: z.number().int(),
  lastAt: z.string(),
});
export type SupplierSummary = z.infer<typeof SupplierSummary>;

export const SupplierList = z.strictObject({ storeId: z.uuid(), suppliers: z.array(SupplierSummary) });
export type SupplierList = z.infer<typeof SupplierList>;
