import { baseMilli, fromMilli, type OperationDoc, type PullCollection } from '@bazaar/shared';

/**
 * A pulled or conflicting document as a client of `protocol` reads it
 * (shared/src/protocol/version.ts). Older clients parse strictly, so each
 * field added since their version is left out:
 * - protocols before 7 read the outcome merged into the operation (`withMergedOutcome`);
 * - protocol 1 knows no `resolution.role`: they treat every decision as final, as they did;
 * - protocols 1 and 2 know no product `retired`: they keep offering a retired product, as they did;
 * - protocols before 4 know no ledger: a sale's `payment.customerId` and a return's `customerId` are left out;
 * - protocols before 5 know no `over_return` reason: such a return is sent flagged with its message and no reason code;
 * - protocols before 6 know no packs: a line by the pack is sent in base units; nor how a purchase was `paid`.
 * Each step applies to every version below it, so a protocol 1 client gets all of them.
 */
export function forProtocol<T>(collection: PullCollection, doc: T, protocol: number): T {
  if (collection === 'operations' && protocol < 7) doc = withMergedOutcome(doc as OperationDoc) as T;
  if (collection === 'operations' && protocol < 2) {
    const resolution = (doc as { resolution?: { role?: unknown } }).resolution;
    if (resolution && resolution.role !== undefined) {
      const { role: _role, ...older } = resolution;
      doc = { ...doc, resolution: older };
    }
  }
  if (collection === 'operations' && protocol < 4) {
    const op = doc as { type?: string; payment?: { customerId?: string }; customerId?: string };
    if (op.type === 'sale' && op.payment?.customerId !== undefined) {
      const { customerId: _id, ...payment } = op.payment;
      doc = { ...doc, payment };
    }
    if (op.type === 'return' && op.customerId !== undefined) {
      const { customerId: _id, ...older } = op;
      doc = older as T;
    }
  }
  if (collection === 'operations' && protocol < 5 && (doc as { reason?: string | null }).reason === 'over_return') {
    // A reason older apps do not know: the flag and the server's words stay, the code goes.
    doc = { ...doc, reason: null };
  }
  if (collection === 'operations' && protocol < 6) {
    const lines = (doc as { lines?: { quantity: number; packSize?: number; unitPrice?: number; unitCost?: number }[] }).lines;
    if (lines?.some((l) => l.packSize !== undefined)) doc = { ...doc, lines: lines.map(inBaseUnits) };
    if ((doc as { paid?: string }).paid !== undefined) {
      const { paid: _paid, ...older } = doc as { paid?: string };
      doc = older as T;
    }
  }
  if (collection === 'products' && protocol < 3) {
    const { retired: _retired, ...older } = doc as { retired?: boolean };
    return older as T;
  }
  return doc;
}

/** Operation types each protocol knows; a client is never sent one it would fail to read. */
const NEWER_OPERATIONS: readonly { type: string; since: number }[] = [
  { type: 'customer', since: 4 },
  { type: 'credit_payment', since: 4 },
  { type: 'cash_close', since: 5 },
  { type: 'supplier', since: 6 },
  { type: 'supplier_payment', since: 6 },
];

/** Whether a client of `protocol` is sent this document at all. */
export function knownTo(collection: PullCollection, doc: unknown, protocol: number): boolean {
  if (collection !== 'operations') return true;
  const type = (doc as { type?: string }).type;
  return !NEWER_OPERATIONS.some((n) => n.type === type && protocol < n.since);
}

/** A pack line as base units: the same stock moved and, to the paisa, the same total for a whole pack. */
function inBaseUnits<L extends { quantity: number; packSize?: number; unitPrice?: number; unitCost?: number }>(line: L): Omit<L, 'packSize'> {
  const { packSize, ...older } = line;
  if (packSize === undefined) return older;
  const per = (price: number) => price / packSize;
  return {
    ...older,
    quantity: fromMilli(baseMilli(line) ?? 0),
    ...(line.unitPrice !== undefined ? { unitPrice: per(line.unitPrice) } : {}),
    ...(line.unitCost !== undefined ? { unitCost: per(line.unitCost) } : {}),
  };
}

/**
 * An operation as protocols 1-6 pull it: the outcome's fields merged into the
 * operation, `reason` being the outcome's, so an adjustment's own reason
 * travels as `adjustmentReason`; `current` and `resolution` only when set.
 */
function withMergedOutcome(doc: OperationDoc): unknown {
  const { outcome, ...operation } = doc;
  return {
    ...operation,
    ...(operation.type === 'adjustment' ? { adjustmentReason: operation.reason } : {}),
    userId: outcome.userId,
    status: outcome.status,
    discrepancy: outcome.discrepancy,
    reason: outcome.reason,
    message: outcome.message,
    ...(outcome.current ? { current: outcome.current } : {}),
    ...(outcome.resolution ? { resolution: outcome.resolution } : {}),
    receivedAt: outcome.receivedAt,
  };
}
