import { linesTotal, Operation, operationProblem, Resolution, type OperationReason, type ResolutionAction } from '@bazaar/shared';
import type { BazaarDatabase } from './database';
import type { ResolutionRecord } from './schemas';

/** The server would refuse this operation (SPEC.md R10): nothing was queued. Screens show `reason` in the user's language. */
export class RefusedBeforeQueueing extends Error {
  constructor(readonly reason: OperationReason) {
    super(`refused before queueing: ${reason}`);
  }
}

/** Who records: the store being worked in and this install. */
export interface RecordContext {
  storeId: string;
  deviceId: string;
}

type Fields = 'id' | 'storeId' | 'deviceId' | 'createdAt';
/** An operation as a screen describes it; the recorder adds its identity and time. */
export type NewOperation = Operation extends infer O ? (O extends Operation ? Omit<O, Fields> : never) : never;

export interface CartLine {
  productId: string;
  quantity: number;
  unitPrice: number;
  packSize?: number;
}

export function cartTotal(lines: readonly CartLine[]): number {
  return linesTotal(lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice })));
}

/**
 * Writes one operation to the local queue, which replication pushes when it
 * can. It is validated first with the shared schema (the storage does not
 * validate, and the server would refuse a malformed push whole) and with the
 * server's own range rules (`operationProblem`), so what the device says is
 * recorded is what the server will accept. Nothing here needs the network or
 * a live token, so a sale is recorded whatever their state.
 */
export async function recordOperation(db: BazaarDatabase, context: RecordContext, operation: NewOperation): Promise<Operation> {
  const parsed = Operation.parse({
    ...operation,
    id: crypto.randomUUID(),
    storeId: context.storeId,
    deviceId: context.deviceId,
    createdAt: new Date().toISOString(),
  });
  const problem = operationProblem(parsed);
  if (problem) throw new RefusedBeforeQueueing(problem);
  await db.operations.insert(parsed);
  return parsed;
}

/** Records a decision about a refused or flagged operation (SPEC.md R9), queued like any action. */
export async function recordResolution(
  db: BazaarDatabase,
  context: RecordContext,
  operationId: string,
  action: ResolutionAction,
  replacementId?: string,
  /** An owner's review of a flag acknowledged at the counter: replaces that acknowledgement if this device holds it. */
  options: { supersede?: boolean } = {},
): Promise<void> {
  const resolution = Resolution.parse({
    id: operationId,
    storeId: context.storeId,
    deviceId: context.deviceId,
    action,
    ...(replacementId ? { replacementId } : {}),
    createdAt: new Date().toISOString(),
  });
  // A second tap, or another tab deciding first, keeps the first decision;
  // one the server refused for good (set aside), or a review's predecessor, gives way to the new one.
  await db.resolutions.insert(resolution).catch(async (err: { code?: string }) => {
    if (err.code !== 'CONFLICT') throw err;
    const existing = await db.resolutions.findOne(operationId).exec();
    const held = existing?.toJSON() as ResolutionRecord | undefined;
    if (held && (held.setAside || (options.supersede && Date.parse(held.createdAt) < Date.parse(resolution.createdAt)))) await existing!.incrementalModify(() => resolution);
  });
}
