import {
  mayPush,
  resolveBatch,
  type OperationDoc,
  type Outcome,
  type PushRow,
} from '@bazaar/shared';
import type { AuthenticatedUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { toOperationDoc, type OperationRow } from './operation-doc';
import { loadBatch, lockStores, settleAccounts, writeResolution } from './push-repository';

export interface PushResult {
  /** Master documents of the operations that conflict (RxDB's push answer). */
  conflicts: OperationDoc[];
  /** Stores whose pullable state changed, for the live stream and the relay. */
  changedStores: string[];
  applied: number;
  rejected: number;
}

/**
 * Applies one pushed batch (SPEC.md R1-R8). Authorisation is all or nothing:
 * one operation for a store the user may not act for refuses the whole push
 * before anything is written. The rest happens in one transaction.
 */
export async function pushOperations(
  db: Database,
  user: Pick<AuthenticatedUser, 'id' | 'role' | 'storeIds'>,
  rows: readonly PushRow[],
  context: { ip?: string | undefined } = {},
): Promise<PushResult> {
  for (const { newDocumentState: op } of rows) {
    if (!mayPush(user, op.type, op.storeId)) {
      throw new AppError('forbidden', `You may not push a ${op.type} for store ${op.storeId}; nothing in this push was saved.`, {
        operationId: op.id,
      });
    }
  }
  // A device may repeat an id inside one batch (a retried enqueue): the first one counts.
  // The same id for another store is not a repeat: it is refused as a duplicate (R11).
  const seen = new Set<string>();
  const operations = rows
    .map((r) => r.newDocumentState)
    .filter((op) => !seen.has(operationKey(op)) && seen.add(operationKey(op)));
  const storeIds = [...new Set(operations.map((o) => o.storeId))];

  return db.transaction(async (tx) => {
    await lockStores(tx, storeIds);
    const { existing, snapshot } = await loadBatch(tx, operations);
    const known = new Set(existing.map((e) => operationKey({ storeId: e.payload.storeId, id: e.id })));
    const fresh = operations.filter((op) => !known.has(operationKey(op)));
    const resolution = resolveBatch(fresh, snapshot);
    const now = new Date();
    await writeResolution(tx, resolution, { userId: user.id, ip: context.ip ?? null });
    // Every account an entry or a new name touched, worked out again from all its entries.
    await settleAccounts(tx, [
      ...resolution.outcomes.flatMap((o) => (o.ledger ? [{ storeId: o.ledger.storeId, customerId: o.ledger.customerId }] : [])),
      ...[...resolution.customers.values()].map((c) => ({ storeId: c.storeId, customerId: c.id })),
    ]);

    // Retries keep their first outcome, conflicts included (SPEC.md R1).
    const conflicts = [
      ...existing.filter((e) => e.reason === 'stale_version').map(toOperationDoc),
      ...resolution.outcomes.filter((o) => o.reason === 'stale_version').map((o) => toOperationDoc(outcomeRow(o, user.id, now))),
    ];
    return {
      conflicts,
      changedStores: [...new Set(fresh.map((o) => o.storeId))],
      applied: resolution.outcomes.filter((o) => o.status === 'applied').length,
      rejected: resolution.outcomes.filter((o) => o.status === 'rejected').length,
    };
  });
}

const operationKey = (op: { storeId: string; id: string }) => `${op.storeId}:${op.id}`;

function outcomeRow(o: Outcome, userId: string, now: Date): OperationRow {
  return {
    id: o.operation.id,
    user_id: userId,
    payload: o.operation,
    status: o.status,
    discrepancy: o.discrepancy,
    reason: o.reason,
    message: o.message,
    current: o.current,
    resolution: null,
    received_at: now,
    updated_at: now,
  };
}
