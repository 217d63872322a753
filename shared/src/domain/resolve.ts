import type { OperationReason } from '../protocol/errors';
import type { CustomerOperation, Operation, StoreProductState, StoreProductUpdateOperation } from '../protocol/operations';
import { closeFigures, type CloseFigures } from './cash-close';
import { returnsTooMuch, soldOn, stillReturnable, type Returnable } from './returns';
import { ledgerEntry, normalizePhone, type CustomerState, type LedgerEntry } from './ledger';
import { limits, MAX_STOCK_MILLI, operationProblem } from './limits';
import { baseMilli, toMilli } from './quantity';

/** The stock of one product in one store, in thousandths. */
export interface StockCell {
  quantity: number;
  version: number;
}

export const cellKey = (storeId: string, productId: string): string => `${storeId}:${productId}`;
export const historyKey = (storeId: string, productId: string, version: number): string =>
  `${storeId}:${productId}@${version}`;

/**
 * What the server knows before a batch is resolved: loaded by the adapter for
 * exactly the products the batch touches.
 */
export interface BatchSnapshot {
  /** Ids of products that exist and are not deleted. */
  products: ReadonlySet<string>;
  /** Current stock by cellKey; a missing cell is quantity 0 at version 0. */
  stock: ReadonlyMap<string, StockCell>;
  /** Quantity (thousandths) a cell had at a version, by historyKey, for the versions counts refer to. */
  history: ReadonlyMap<string, number>;
  /** Current store product state by cellKey; missing means never edited (version 0). */
  storeProducts: ReadonlyMap<string, StoreProductState>;
  /**
   * The ledger customers the batch names, by cellKey(storeId, customerId),
   * and the store's customers by phone (`phoneKey`: the customer that number
   * belongs to, never another name for one). Absent on the device, which
   * leaves customers to the server.
   */
  customers?: ReadonlyMap<string, CustomerState>;
  customerPhones?: ReadonlyMap<string, string>;
  /**
   * How many closes each store day (`dayKey`) the batch closes already has
   * (SPEC.md C2). Absent on the device.
   */
  closes?: ReadonlyMap<string, number>;
  /**
   * For each sale the batch's returns name (by cellKey(storeId, saleId)),
   * what is left to return of each product (R12). A sale missing here is one
   * the server does not hold (yet): its return is not checked. Absent on the device.
   */
  saleReturns?: ReadonlyMap<string, Returnable>;
}

export const dayKey = (storeId: string, day: string): string => `${storeId}:${day}`;

/** An applied close: its figures, and which close of its store day it is (1: the close; more: a correction). */
export interface CashClose extends CloseFigures {
  storeId: string;
  day: string;
  seq: number;
}

export const phoneKey = (storeId: string, phone: string): string => `${storeId}:${phone}`;

export interface Movement {
  lineNo: number;
  storeId: string;
  productId: string;
  /** Thousandths. */
  delta: number;
  /** Thousandths, after this movement. */
  quantity: number;
  version: number;
  /** The version the device saw, for counts; null for movements that need none. */
  baseVersion: number | null;
  discrepancy: boolean;
}

export interface Outcome {
  operation: Operation;
  status: 'applied' | 'rejected';
  discrepancy: boolean;
  reason: OperationReason | null;
  message: string | null;
  movements: Movement[];
  /** An applied store product edit: the new state. */
  storeProduct: StoreProductState | null;
  /** A stale store product edit: the state it lost against (RxDB's master state). */
  current: StoreProductState | null;
  /** The customer this operation made or changed (a customer operation, or a credit sale naming one the store did not have). */
  customer: CustomerState | null;
  /** What it adds to a customer's account. */
  ledger: LedgerEntry | null;
  /** An applied day's close. */
  cashClose: CashClose | null;
}

export interface BatchResolution {
  outcomes: Outcome[];
  /** Final state of every cell the batch moved, by cellKey. */
  stock: Map<string, StockCell & { storeId: string; productId: string }>;
  /** Final state of every store product the batch edited, by cellKey. */
  storeProducts: Map<string, StoreProductState>;
  /** Final state of every customer the batch made or changed, by cellKey(storeId, customerId). */
  customers: Map<string, CustomerState>;
}

const messages: Record<OperationReason, string> = {
  unknown_product: 'This product is not in the catalog.',
  invalid_quantity: 'Quantities must be above zero with at most 3 decimals.',
  invalid_price: 'Prices must be zero or more with at most 2 decimals.',
  unknown_base_version: 'The stock version this was based on never existed on the server.',
  duplicate_product: 'The same product appears twice in one count.',
  stale_version: 'Someone changed this product since you last synced; review the current values.',
  empty_change: 'The edit changes nothing.',
  negative_stock: 'Recorded, but stock went below zero: check the shelf and count this product.',
  out_of_range: `A number is beyond what can be recorded (quantities up to ${limits.quantity.toLocaleString('en')}, prices up to Rs ${limits.price.toLocaleString('en')}), or the device's date is wrong.`,
  duplicate_id: 'This operation has the id of one in another store; it was not applied.',
  invalid_amount: 'Amounts must be above zero with at most 2 decimals.',
  invalid_phone: 'This is not a phone number in Pakistan (03xx-xxxxxxx or +92…).',
  unknown_customer: 'This customer is not in the shop’s ledger; record the payment against a customer on the list.',
  phone_taken: 'Another customer already has this phone number.',
  over_return: 'Recorded, but more was returned than its sale has left to return: the owner should look at this return.',
  cash_difference: 'The cash counted is not what the day’s records expect: the owner should look at this close.',
};

export function reasonMessage(reason: OperationReason): string {
  return messages[reason];
}

class Refusal {
  constructor(
    readonly reason: OperationReason,
    readonly current: StoreProductState | null = null,
  ) {}
}

interface LineDelta {
  productId: string;
  delta: number;
  baseVersion: number | null;
  /** For counts: the counted quantity, rebased when applied. */
  counted?: number;
}

/**
 * Resolves a batch of operations, in order, against a snapshot. Pure: the
 * caller loads the snapshot, and writes what comes back in one transaction.
 *
 * Rules (SPEC.md R1-R7, R10, R11): deltas commute; a sale is never refused
 * for lack of stock but flagged; a count is rebased on its base version; a
 * state edit is optimistic; a well-formed but impossible operation (out of
 * range, or with another store's id) is refused whole with a reason while
 * the rest of the batch applies.
 */
export function resolveBatch(operations: readonly Operation[], snapshot: BatchSnapshot): BatchResolution {
  const stock = new Map<string, StockCell & { storeId: string; productId: string }>();
  const storeProducts = new Map<string, StoreProductState>();
  // Versions produced inside this batch, so a later count in it can refer to them.
  const history = new Map(snapshot.history);

  const cell = (storeId: string, productId: string) => {
    const key = cellKey(storeId, productId);
    return stock.get(key) ?? { storeId, productId, ...(snapshot.stock.get(key) ?? { quantity: 0, version: 0 }) };
  };
  const quantityAt = (storeId: string, productId: string, version: number): number | undefined =>
    version === 0 ? 0 : history.get(historyKey(storeId, productId, version));
  const customers = new Map<string, CustomerState>();
  const phones = new Map(snapshot.customerPhones);
  const closes = new Map<string, number>();
  const returnable = new Map(snapshot.saleReturns);
  // Sales of this batch that a return in it names: only those need what they sold worked out (the push path is hot).
  const namedSales = new Set(operations.flatMap((op) => (op.type === 'return' && op.saleId ? [cellKey(op.storeId, op.saleId)] : [])));
  const customerOf = (storeId: string, id: string) => customers.get(cellKey(storeId, id)) ?? snapshot.customers?.get(cellKey(storeId, id)) ?? null;
  const keepCustomer = (state: CustomerState) => {
    customers.set(cellKey(state.storeId, state.id), state);
    if (state.phone !== null && state.mergedInto === null) phones.set(phoneKey(state.storeId, state.phone), state.id);
  };
  /** A credit sale's or return's customer, made from what the counter typed when the store has not heard of it. */
  const customerFor = (operation: Operation, entry: LedgerEntry | null): CustomerState | null => {
    if (!entry || !snapshot.customers || customerOf(entry.storeId, entry.customerId)) return null;
    const typed = operation.type === 'sale' ? operation.payment.customer : undefined;
    const phone = typed?.phone ? normalizePhone(typed.phone) : null;
    const state = newCustomer(entry.storeId, entry.customerId, typed?.name ?? 'Customer', phone, null, phone ? (phones.get(phoneKey(entry.storeId, phone)) ?? null) : null);
    keepCustomer(state);
    return state;
  };

  const outcomes = operations.map((operation): Outcome => {
    try {
      const problem = operationProblem(operation);
      if (problem) throw new Refusal(problem);
      if (operation.type === 'store_product_update') {
        const key = cellKey(operation.storeId, operation.productId);
        const state = editStoreProduct(operation, storeProducts.get(key) ?? snapshot.storeProducts.get(key) ?? null, snapshot);
        storeProducts.set(key, state);
        return { ...applied(operation), storeProduct: state };
      }
      if (operation.type === 'customer') {
        if (!snapshot.customers) return applied(operation);
        const state = editCustomer(operation, customerOf, phones);
        keepCustomer(state);
        return { ...applied(operation), customer: state };
      }
      if (operation.type === 'cash_close') {
        const key = dayKey(operation.storeId, operation.day);
        const seq = (closes.get(key) ?? snapshot.closes?.get(key) ?? 0) + 1;
        closes.set(key, seq);
        const figures = closeFigures(operation);
        if (Math.abs(figures.expectedPaisa) > limits.total * 100) throw new Refusal('out_of_range');
        // A drawer that does not match is recorded as counted and flagged to the owner (C3), never refused.
        const differs = figures.differencePaisa !== 0;
        return {
          ...applied(operation),
          discrepancy: differs,
          reason: differs ? 'cash_difference' : null,
          message: differs ? messages.cash_difference : null,
          cashClose: { storeId: operation.storeId, day: operation.day, seq, ...figures },
        };
      }
      // A supplier and a payment to one move no stock: the server keeps the supplier and what is owed (S1, S2).
      if (operation.type === 'supplier' || operation.type === 'supplier_payment') return applied(operation);
      if (operation.type === 'credit_payment') {
        if (snapshot.customers && !customerOf(operation.storeId, operation.customerId)) throw new Refusal('unknown_customer');
        return { ...applied(operation), ledger: ledgerEntry(operation) };
      }

      const deltas = lineDeltas(operation, snapshot);
      // Check every line before moving any, so an operation applies whole or not at all.
      for (const line of deltas) {
        if (line.counted === undefined) continue;
        const { version } = cell(operation.storeId, line.productId);
        if (line.baseVersion! > version) throw new Refusal('unknown_base_version');
        if (quantityAt(operation.storeId, line.productId, line.baseVersion!) === undefined) {
          throw new Refusal('unknown_base_version');
        }
      }

      // Staged, then committed: a line out of range refuses the operation whole.
      const staged = new Map<string, StockCell & { storeId: string; productId: string }>();
      const movements = deltas.map((line, lineNo): Movement => {
        const key = cellKey(operation.storeId, line.productId);
        const before = staged.get(key) ?? cell(operation.storeId, line.productId);
        const delta =
          line.counted === undefined
            ? line.delta
            : // Rebase: what the count found missing or extra at its base version,
              // applied on top of everything that happened since.
              line.counted - quantityAt(operation.storeId, line.productId, line.baseVersion!)!;
        const after = { ...before, quantity: before.quantity + delta, version: before.version + 1 };
        if (Math.abs(after.quantity) > MAX_STOCK_MILLI || after.version > limits.version) throw new Refusal('out_of_range');
        staged.set(key, after);
        return {
          lineNo,
          storeId: operation.storeId,
          productId: line.productId,
          delta,
          quantity: after.quantity,
          version: after.version,
          baseVersion: line.baseVersion,
          discrepancy: delta < 0 && after.quantity < 0,
        };
      });
      for (const [key, after] of staged) stock.set(key, after);
      for (const m of movements) history.set(historyKey(m.storeId, m.productId, m.version), m.quantity);
      const negative = movements.some((m) => m.discrepancy);
      // More taken back than its sale has left to return: applied, and flagged for the owner (R12).
      let over = false;
      if (operation.type === 'return' && operation.saleId) {
        const key = cellKey(operation.storeId, operation.saleId);
        const left = returnable.get(key);
        if (left) {
          over = returnsTooMuch(left, operation);
          returnable.set(key, stillReturnable(left, [operation]));
        }
      }
      // A sale in this batch: a return after it in the same batch is checked against it too.
      if (operation.type === 'sale' && snapshot.saleReturns && namedSales.has(cellKey(operation.storeId, operation.id))) returnable.set(cellKey(operation.storeId, operation.id), soldOn(operation));
      const reason: OperationReason | null = negative ? 'negative_stock' : over ? 'over_return' : null;
      const ledger = ledgerEntry(operation);
      return {
        ...applied(operation),
        ledger,
        customer: customerFor(operation, ledger),
        discrepancy: reason !== null,
        reason,
        message: reason ? messages[reason] : null,
        movements,
      };
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      return {
        operation,
        status: 'rejected',
        discrepancy: false,
        reason: err.reason,
        message: messages[err.reason],
        movements: [],
        storeProduct: null,
        current: err.current,
        customer: null,
        ledger: null,
        cashClose: null,
      };
    }
  });

  return { outcomes, stock, storeProducts, customers };
}

function applied(operation: Operation): Outcome {
  return {
    operation,
    status: 'applied',
    discrepancy: false,
    reason: null,
    message: null,
    movements: [],
    storeProduct: null,
    current: null,
    customer: null,
    ledger: null,
    cashClose: null,
  };
}

function knownProduct(snapshot: BatchSnapshot, productId: string): void {
  if (!snapshot.products.has(productId)) throw new Refusal('unknown_product');
}

/** Thousandths of a quantity `operationProblem` has already checked. */
function milli(value: number): number {
  return toMilli(value)!;
}

function newCustomer(storeId: string, id: string, name: string, phone: string | null, creditLimit: number | null, phoneOwner: string | null): CustomerState {
  // A number the store already has: this id becomes another name for that customer (SPEC.md L2).
  return { storeId, id, name, phone, creditLimit, mergedInto: phoneOwner, version: 1 };
}

/**
 * A customer operation against what the store has: a new id is a new
 * customer, or another name for the one with its phone; a known id is an
 * edit (of the customer it names, when it is another name for one).
 */
function editCustomer(
  op: CustomerOperation,
  customerOf: (storeId: string, id: string) => CustomerState | null,
  phones: ReadonlyMap<string, string>,
): CustomerState {
  const phone = op.phone ? normalizePhone(op.phone) : null;
  const owner = phone ? (phones.get(phoneKey(op.storeId, phone)) ?? null) : null;
  const named = customerOf(op.storeId, op.customerId);
  if (!named) return newCustomer(op.storeId, op.customerId, op.name, phone, op.creditLimit ?? null, owner);
  const current = named.mergedInto ? (customerOf(op.storeId, named.mergedInto) ?? named) : named;
  if (owner !== null && owner !== current.id) throw new Refusal('phone_taken');
  const next: CustomerState = {
    ...current,
    name: op.name,
    phone: op.phone === undefined ? current.phone : phone,
    creditLimit: op.creditLimit === undefined ? current.creditLimit : op.creditLimit,
  };
  if (next.name === current.name && next.phone === current.phone && next.creditLimit === current.creditLimit) throw new Refusal('empty_change');
  return { ...next, version: current.version + 1 };
}

function lineDeltas(operation: Extract<Operation, { lines: unknown }>, snapshot: BatchSnapshot): LineDelta[] {
  for (const line of operation.lines) knownProduct(snapshot, line.productId);
  switch (operation.type) {
    case 'sale':
      return operation.lines.map((line) => ({ productId: line.productId, delta: -baseMilli(line)!, baseVersion: null }));
    case 'return':
    case 'purchase':
      return operation.lines.map((line) => ({ productId: line.productId, delta: baseMilli(line)!, baseVersion: null }));
    case 'adjustment':
      return operation.lines.map((line) => ({ productId: line.productId, delta: milli(line.quantity), baseVersion: null }));
    case 'count':
      return operation.lines.map((line) => ({ productId: line.productId, delta: 0, baseVersion: line.baseVersion, counted: milli(line.countedQuantity) }));
    default: {
      const exhaustive: never = operation;
      throw new Error(`unhandled operation ${(exhaustive as Operation).type}`);
    }
  }
}

function editStoreProduct(
  operation: StoreProductUpdateOperation,
  existing: StoreProductState | null,
  snapshot: BatchSnapshot,
): StoreProductState {
  knownProduct(snapshot, operation.productId);
  const current: StoreProductState = existing ?? {
    storeId: operation.storeId,
    productId: operation.productId,
    price: null,
    reorderLevel: null,
    active: true,
    version: 0,
  };
  if (operation.baseVersion > current.version) throw new Refusal('unknown_base_version');
  if (operation.baseVersion < current.version) throw new Refusal('stale_version', current);

  const { price: newPrice, reorderLevel, active } = operation.changes;
  const next: StoreProductState = {
    ...current,
    price: newPrice === undefined ? current.price : newPrice,
    reorderLevel: reorderLevel === undefined ? current.reorderLevel : reorderLevel,
    active: active ?? current.active,
  };
  if (next.price === current.price && next.reorderLevel === current.reorderLevel && next.active === current.active) {
    throw new Refusal('empty_change');
  }
  return { ...next, version: current.version + 1 };
}
