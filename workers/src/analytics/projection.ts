import { linePaisa, toMilli, type MovementEvent } from '@bazaar/shared';

/**
 * The analytics projection as a pure fold over one store's movement events,
 * in their order: sales by local day, hour and product, with a moving-average
 * cost from purchases so each sale has a cost once a purchase gave one.
 * Live consumption and the rebuild from the movements log run this same fold,
 * so they agree to the paisa.
 */

/** What a store holds of a product at cost: the basis (paisa) of `onHandMilli` thousandths. */
export interface CostState {
  onHandMilli: bigint;
  basisPaisa: bigint;
}

/** One row of report_sales: additive, so a batch's cells are added to what is stored. */
export interface SalesCell {
  storeId: string;
  day: string;
  hour: number;
  productId: string;
  tickets: number;
  sales: number;
  unitsMilli: number;
  revenuePaisa: number;
  cashPaisa: number;
  creditPaisa: number;
  costedRevenuePaisa: number;
  costPaisa: number;
  returnTickets: number;
  returnedMilli: number;
  refundsPaisa: number;
}

export interface Projected {
  cells: Map<string, SalesCell>;
  /** Costs after the events, for every store and product they touched. */
  costs: Map<string, CostState>;
  /** The latest server time among each store's events. */
  lastEventAt: Map<string, string>;
}

export const costKey = (storeId: string, productId: string) => `${storeId}:${productId}`;

const zero = (): CostState => ({ onHandMilli: 0n, basisPaisa: 0n });

/** a / b rounded half up, for b > 0 and a ≥ 0. */
const divRound = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);

/**
 * Moves `deltaMilli` in or out at cost. A purchase comes in at its own cost;
 * anything else moves at the current average. Stock at or below zero has no
 * known cost, so its basis is 0. Returns the cost taken out and how much of
 * what went out had a cost.
 */
export function moveAtCost(state: CostState, deltaMilli: bigint, unitCost?: number, packSize = 1): { next: CostState; costOut: bigint; costedOutMilli: bigint } {
  const { onHandMilli, basisPaisa } = state;
  const after = onHandMilli + deltaMilli;
  if (deltaMilli >= 0n) {
    let basis = basisPaisa;
    if (unitCost !== undefined) {
      // Paisa per 1000 of what was bought (base units, or packs of packSize of them).
      const costPerThousand = BigInt(linePaisa(1000, unitCost));
      const scale = 1_000_000n * BigInt(packSize);
      // Stock that was at or below zero had no cost: the basis is what is on hand after, at this cost.
      basis = onHandMilli > 0n ? basisPaisa + divRound(deltaMilli * costPerThousand, scale) : after > 0n ? divRound(after * costPerThousand, scale) : 0n;
    } else if (onHandMilli > 0n) {
      basis = basisPaisa + divRound(basisPaisa * deltaMilli, onHandMilli);
    }
    return { next: { onHandMilli: after, basisPaisa: after > 0n ? basis : 0n }, costOut: 0n, costedOutMilli: 0n };
  }
  const out = -deltaMilli;
  const costedOutMilli = onHandMilli > 0n ? (out < onHandMilli ? out : onHandMilli) : 0n;
  const costOut = costedOutMilli > 0n && basisPaisa > 0n ? divRound(basisPaisa * costedOutMilli, onHandMilli) : 0n;
  const next = { onHandMilli: after, basisPaisa: after > 0n ? basisPaisa - costOut : 0n };
  return { next, costOut, costedOutMilli: basisPaisa > 0n ? costedOutMilli : 0n };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local day (YYYY-MM-DD) and hour of an instant in a time zone, asked of Intl (about 14 µs a call). */
export function localHourByIntl(iso: string, timeZone: string): { day: string; hour: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

const QUARTER_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * A zone's offset from UTC (ms) during the quarter hour of UTC holding `ms`.
 * Offsets are whole quarter hours and change on quarter-hour instants, so one
 * answer holds for the whole quarter; it is asked of Intl once per zone and
 * quarter, not once per event (the projector's costliest line otherwise).
 */
function offsetMs(timeZone: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_MS);
  const key = `${timeZone}|${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = quarter * QUARTER_MS;
    let format = formatters.get(`${timeZone}|full`);
    if (!format) {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      formatters.set(`${timeZone}|full`, format);
    }
    const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - at;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The local day (YYYY-MM-DD) and hour of an instant in a time zone. */
export function localHour(iso: string, timeZone: string): { day: string; hour: number } {
  const ms = Date.parse(iso);
  const local = new Date(ms + offsetMs(timeZone, ms));
  return { day: local.toISOString().slice(0, 10), hour: local.getUTCHours() };
}

/**
 * Folds movement events into sales cells and costs. `costs` holds the state
 * before the events for every store and product they name (absent: nothing
 * on hand); `timeZoneOf` gives a store's zone. A sale's hour is the device's
 * time of the sale (`clientTime`): offline sales count when they were made.
 */
export function project(events: readonly MovementEvent[], costs: ReadonlyMap<string, CostState>, timeZoneOf: (storeId: string) => string): Projected {
  const out: Projected = { cells: new Map(), costs: new Map(), lastEventAt: new Map() };
  for (const e of events) {
    const key = costKey(e.storeId, e.productId);
    const before = out.costs.get(key) ?? costs.get(key) ?? zero();
    const deltaMilli = BigInt(toMilli(e.delta) ?? 0);
    // A line by the pack has its exact money per pack; per base unit otherwise (SPEC.md R13).
    const purchased = e.operationType === 'purchase';
    const moved =
      purchased && e.packCost !== undefined && e.packSize !== undefined
        ? moveAtCost(before, deltaMilli, e.packCost, e.packSize)
        : moveAtCost(before, deltaMilli, purchased ? e.unitCost : undefined);
    out.costs.set(key, moved.next);
    const last = out.lastEventAt.get(e.storeId);
    if (!last || e.occurredAt > last) out.lastEventAt.set(e.storeId, e.occurredAt);

    if ((e.operationType !== 'sale' && e.operationType !== 'return') || e.unitPrice === undefined) continue;
    const { day, hour } = localHour(e.clientTime, timeZoneOf(e.storeId));
    const cellKey = `${e.storeId}|${day}|${hour}|${e.productId}`;
    const cell = out.cells.get(cellKey) ?? emptyCell(e.storeId, day, hour, e.productId);
    out.cells.set(cellKey, cell);
    const paisa = e.packPrice !== undefined && e.packSize !== undefined ? linePaisa(Math.abs(e.delta) / e.packSize, e.packPrice) : linePaisa(Math.abs(e.delta), e.unitPrice);
    const first = (e.lineNo ?? 0) === 0;
    if (e.operationType === 'sale') {
      cell.tickets += first ? 1 : 0;
      cell.sales += 1;
      cell.unitsMilli += Number(-deltaMilli);
      cell.revenuePaisa += paisa;
      if (e.paymentMethod === 'credit') cell.creditPaisa += paisa;
      else cell.cashPaisa += paisa;
      cell.costPaisa += Number(moved.costOut);
      // Revenue of the units whose cost was known, so margin compares like with like.
      cell.costedRevenuePaisa += deltaMilli === 0n ? 0 : Number(divRound(BigInt(paisa) * moved.costedOutMilli, -deltaMilli));
    } else {
      cell.returnTickets += first ? 1 : 0;
      cell.returnedMilli += Number(deltaMilli);
      cell.refundsPaisa += paisa;
    }
  }
  return out;
}

function emptyCell(storeId: string, day: string, hour: number, productId: string): SalesCell {
  return {
    storeId, day, hour, productId,
    tickets: 0, sales: 0, unitsMilli: 0, revenuePaisa: 0, cashPaisa: 0, creditPaisa: 0,
    costedRevenuePaisa: 0, costPaisa: 0, returnTickets: 0, returnedMilli: 0, refundsPaisa: 0,
  };
}

/** Shards of the all-store rollups (migration 0021): a store's is its id's 4th byte, as `get_byte(uuid_send(id), 3) % 8`. */
export const ROLLUP_SHARDS = 8;
export const shardOf = (storeId: string): number => parseInt(storeId.slice(6, 8), 16) % ROLLUP_SHARDS;

type Totals = Omit<SalesCell, 'storeId' | 'day' | 'hour' | 'productId'>;
/** A row of report_zone_hours or report_zone_products: `key` orders the rows of one upsert. */
export interface ZoneRow<K> {
  key: string;
  at: K;
  totals: Totals;
}

const TOTAL_FIELDS = ['tickets', 'sales', 'unitsMilli', 'revenuePaisa', 'cashPaisa', 'creditPaisa', 'costedRevenuePaisa', 'costPaisa', 'returnTickets', 'returnedMilli', 'refundsPaisa'] as const;

function sumBy<K>(cells: readonly SalesCell[], at: (cell: SalesCell) => K): ZoneRow<K>[] {
  const rows = new Map<string, ZoneRow<K>>();
  for (const cell of cells) {
    const where = at(cell);
    const key = JSON.stringify(where);
    const row = rows.get(key) ?? { key, at: where, totals: Object.fromEntries(TOTAL_FIELDS.map((f) => [f, 0])) as Totals };
    for (const f of TOTAL_FIELDS) row.totals[f] += cell[f];
    rows.set(key, row);
  }
  // Every consumer writes these shared rows in one order, so two batches wait on each other instead of deadlocking.
  return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The cells summed per zone, local day, hour and shard (every store's sales by hour). */
export const zoneHours = (cells: readonly SalesCell[], zoneOf: (storeId: string) => string) =>
  sumBy(cells, (c) => ({ day: c.day, timeZone: zoneOf(c.storeId), hour: c.hour, shard: shardOf(c.storeId) }));

/** The cells summed per zone, local day, product and shard (every store's sales of a product by day). */
export const zoneProducts = (cells: readonly SalesCell[], zoneOf: (storeId: string) => string) =>
  sumBy(cells, (c) => ({ day: c.day, timeZone: zoneOf(c.storeId), productId: c.productId, shard: shardOf(c.storeId) }));

/** What a batch changed in every store's holdings of a product: on hand, and stores holding some. */
export interface HoldingChange {
  productId: string;
  shard: number;
  onHandMilli: bigint;
  stores: number;
}

/** The holdings change from each store product's cost state before the batch to after it. */
export function holdingChanges(before: ReadonlyMap<string, CostState>, after: ReadonlyMap<string, CostState>): HoldingChange[] {
  const changes = new Map<string, HoldingChange>();
  for (const [key, next] of after) {
    const [storeId, productId] = key.split(':') as [string, string];
    const prev = before.get(key) ?? zero();
    const shard = shardOf(storeId);
    const at = `${productId}|${shard}`;
    const change = changes.get(at) ?? { productId, shard, onHandMilli: 0n, stores: 0 };
    change.onHandMilli += next.onHandMilli - prev.onHandMilli;
    change.stores += Number(next.onHandMilli > 0n) - Number(prev.onHandMilli > 0n);
    changes.set(at, change);
  }
  return [...changes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
}

/** What a batch changed in each store's stock at cost (report_store_activity.stock_basis_paisa). */
export function basisChanges(before: ReadonlyMap<string, CostState>, after: ReadonlyMap<string, CostState>): Map<string, bigint> {
  const changes = new Map<string, bigint>();
  for (const [key, next] of after) {
    const storeId = key.split(':')[0]!;
    changes.set(storeId, (changes.get(storeId) ?? 0n) + next.basisPaisa - (before.get(key) ?? zero()).basisPaisa);
  }
  return changes;
}
