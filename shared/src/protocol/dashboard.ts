import { z } from 'zod';
import { StoreIdList, text } from './fields';
import { Alert, AlertKind, ReplenishmentSuggestion } from './reports';
import { StreamChange } from './sync';

/**
 * The dashboards' reads (`GET /api/dashboard/*`): what the workers computed,
 * for the stores a manager, owner or admin may see, narrowed by `storeIds`
 * and `region`. Figures are read from the replica and cached briefly; see
 * docs/SPEC.md "Dashboards".
 */

/**
 * A period ends now, in each store's own time zone: `today` is the local day
 * so far, `week` the last 7 local days, `month` the last 30. It is compared
 * with the period just before, cut at the same local hour (today until 11
 * o'clock against yesterday until 11), so a morning is not set against a
 * whole day.
 */
export const periods = ['today', 'week', 'month'] as const;
export const DashboardPeriod = z.enum(periods);
export type DashboardPeriod = z.infer<typeof DashboardPeriod>;
export const PERIOD_DAYS: Readonly<Record<DashboardPeriod, number>> = { today: 1, week: 7, month: 30 };

const scope = {
  storeIds: StoreIdList,
  region: text(80).trim().min(1).optional(),
};
const page = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
};
const search = text(80).trim().min(1).optional();

export const OverviewQuery = z.strictObject({ ...scope, period: DashboardPeriod.default('today') });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

/** Money in rupees (summed in paisa), units in each product's unit; `sales` counts sales. */
export const Figures = z.strictObject({
  sales: z.number().int(),
  units: z.number(),
  revenue: z.number(),
  /** Revenue of the units whose cost a purchase gave, less that cost. */
  margin: z.number(),
  cash: z.number(),
  credit: z.number(),
  returns: z.number().int(),
  refunds: z.number(),
});
export type Figures = z.infer<typeof Figures>;

export const Overview = z.strictObject({
  period: DashboardPeriod,
  current: Figures,
  previous: Figures,
  /** Stores in scope, and of them those with a sale in the period. */
  stores: z.number().int(),
  sellingStores: z.number().int(),
  /** The server time of the latest event the figures hold; null before any. */
  asOf: z.string().nullable(),
});
export type Overview = z.infer<typeof Overview>;

/** Sales over the period, by local hour (`2026-12-01T09`) or day (`2026-12-01`), optionally of one product. */
export const TrendQuery = z.strictObject({
  ...scope,
  period: DashboardPeriod.default('week'),
  bucket: z.enum(['hour', 'day']).default('day'),
  productId: z.uuid().optional(),
});
export type TrendQuery = z.infer<typeof TrendQuery>;

export const TrendPoint = z.strictObject({ key: z.string(), sales: z.number().int(), units: z.number(), revenue: z.number() });
export type TrendPoint = z.infer<typeof TrendPoint>;
export const Trend = z.strictObject({ points: z.array(TrendPoint), asOf: z.string().nullable() });
export type Trend = z.infer<typeof Trend>;

export const storeSorts = ['name', 'revenue', 'change', 'margin', 'stockValue', 'openAlerts', 'lastEventAt'] as const;
export const StoresTableQuery = z.strictObject({
  ...scope,
  ...page,
  period: DashboardPeriod.default('today'),
  q: search,
  sort: z.enum(storeSorts).default('revenue'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type StoresTableQuery = z.infer<typeof StoresTableQuery>;

export const StoreRow = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  sales: z.number().int(),
  revenue: z.number(),
  previousRevenue: z.number(),
  margin: z.number(),
  /** What the store holds, at the moving-average cost of its purchases (goods never bought through the app count 0). */
  stockValue: z.number(),
  openAlerts: z.number().int(),
  /** When its last operation reached the server; null if never. */
  lastEventAt: z.string().nullable(),
});
export type StoreRow = z.infer<typeof StoreRow>;

const table = <Row extends z.ZodType>(row: Row) =>
  z.strictObject({
    rows: z.array(row),
    /** Rows matching the filter, over all pages. */
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    asOf: z.string().nullable(),
  });

export const StoresTable = table(StoreRow);
export type StoresTable = z.infer<typeof StoresTable>;

/** `top`: most revenue first; `slow`: held in stock and least sold first (what ties up money on the shelf). */
export const ProductsTableQuery = z.strictObject({
  ...scope,
  ...page,
  period: DashboardPeriod.default('week'),
  q: search,
  order: z.enum(['top', 'slow']).default('top'),
});
export type ProductsTableQuery = z.infer<typeof ProductsTableQuery>;

export const ProductRow = z.strictObject({
  productId: z.uuid(),
  sku: z.string(),
  nameEn: z.string(),
  nameUr: z.string(),
  unit: z.string(),
  units: z.number(),
  revenue: z.number(),
  margin: z.number(),
  /** Held across the stores in scope, and in how many of them. */
  onHand: z.number(),
  stores: z.number().int(),
});
export type ProductRow = z.infer<typeof ProductRow>;
export const ProductsTable = table(ProductRow);
export type ProductsTable = z.infer<typeof ProductsTable>;

/** Open alerts across the stores in scope, oldest first (the longest waiting on top). */
export const AlertsTableQuery = z.strictObject({ ...scope, ...page, kind: AlertKind.optional() });
export type AlertsTableQuery = z.infer<typeof AlertsTableQuery>;
export const AlertRow = z.strictObject({
  ...Alert.shape,
  storeName: z.string(),
  /** The product's names, null for a store's own alert (gone silent). */
  sku: z.string().nullable(),
  nameEn: z.string().nullable(),
  nameUr: z.string().nullable(),
});
export type AlertRow = z.infer<typeof AlertRow>;
export const AlertsTable = table(AlertRow);
export type AlertsTable = z.infer<typeof AlertsTable>;

/**
 * Suggested orders across the stores in scope, most needed first, with the
 * names a supplier reads. Pages run larger than other tables' (up to 5,000
 * rows), so one store's whole order downloads as one CSV.
 */
export const ReplenishmentTableQuery = z.strictObject({
  ...scope,
  page: page.page,
  pageSize: z.coerce.number().int().min(1).max(5000).default(50),
});
export type ReplenishmentTableQuery = z.infer<typeof ReplenishmentTableQuery>;
export const ReplenishmentRow = z.strictObject({
  ...ReplenishmentSuggestion.shape,
  storeId: z.uuid(),
  storeName: z.string(),
  sku: z.string(),
  nameEn: z.string(),
  nameUr: z.string(),
  unit: z.string(),
});
export type ReplenishmentRow = z.infer<typeof ReplenishmentRow>;
export const ReplenishmentTable = table(ReplenishmentRow);
export type ReplenishmentTable = z.infer<typeof ReplenishmentTable>;

/** `GET /api/dashboard/scope`: the regions of the stores the caller may see, for the filter. */
export const DashboardScope = z.strictObject({
  stores: z.number().int(),
  regions: z.array(z.strictObject({ region: z.string(), stores: z.number().int() })),
});
export type DashboardScope = z.infer<typeof DashboardScope>;

/**
 * What the workers announce after a batch commits (on the change channel,
 * beside device changes): the stores whose reports changed, and the primary's
 * WAL position after the commit, so a server reads a replica only once it has
 * replayed that far. The event stream tells dashboards `event: reports`.
 */
export const ReportsChange = z.strictObject({
  reports: z.array(z.uuid()).min(1),
  lsn: z
    .string()
    .regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i)
    .nullable(),
});
export type ReportsChange = z.infer<typeof ReportsChange>;

/** What travels on the change channel between server instances and workers. */
export const LiveMessage = z.union([StreamChange, ReportsChange]);
export type LiveMessage = z.infer<typeof LiveMessage>;
export const isReportsChange = (m: LiveMessage): m is ReportsChange => 'reports' in m;
