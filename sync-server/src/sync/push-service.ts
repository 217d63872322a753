import {
  mayPush,
  resolveBatch,
  type Operation,
  type OperationDoc,
  type Outcome,
  type PushRow,
} from '@bazaar/shared';
import type { AuthenticatedUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { toOperationDoc, type OperationRow } from './operation-doc';
import { loadBatch, lockStore, settleAccounts, writeResolution } from './push-repository';

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
 * before anything is written. Each store's operations are then applied in a
 * transaction of their own, so a push touches one store's rows at a time (a
 * store's rows can live on one shard); a push cut short after one store is
 * retried whole, and that store's operations are retries (R1).
 */
export async function pushOperations(
  db: Database,
  user: Pick<AuthenticatedUser, 'id' | 'role' | 'storeIds'>,
  rows: readonly PushRow[],
): Promise<PushResult> {
  for (const { newDocumentState: op } of rows) {
    if (!mayPush(user, op.type, op.storeId)) {
      throw new AppError('forbidden', `You may not push a ${op.type} for store ${op.storeId}; nothing in this push was saved.`, {
        operationId: op.id,
      });
    }
  }
  // A device may repeat an id inside one batch (a retried enqueue): the first one counts.
  const byStore = new Map<string, Operation[]>();
  const seen = new Set<string>();
  for (const { newDocumentState: op } of rows) {
    if (seen.has(`${op.storeId}:${op.id}`)) continue;
    seen.add(`${op.storeId}:${op.id}`);
    const ops = byStore.get(op.storeId) ?? byStore.set(op.storeId, []).get(op.storeId)!;
    ops.push(op);
  }
  const result: PushResult = { conflicts: [], changedStores: [], applied: 0, rejected: 0 };
  for (const storeId of [...byStore.keys()].sort()) {
    const one = await pushToStore(db, user.id, storeId, byStore.get(storeId)!);
    result.conflicts.push(...one.conflicts);
    if (one.changed) result.changedStores.push(storeId);
    result.applied += one.applied;
    result.rejected += one.rejected;
  }
  return result;
}

async function pushToStore(db: Database, userId: string, storeId: string, operations: readonly Operation[]) {
  return db.transaction(async (tx) => {
    await lockStore(tx, storeId);
    const { existing, snapshot } = await loadBatch(tx, operations);
    const known = new Set(existing.map((e) => e.id));
    const fresh = operations.filter((op) => !known.has(op.id));
    const resolution = resolveBatch(fresh, snapshot);
    const now = new Date();
    await writeResolution(tx, resolution, { userId });
    // Every account an entry or a new name touched, worked out again from all its entries.
    await settleAccounts(tx, [
      ...resolution.outcomes.flatMap((o) => (o.ledger ? [{ storeId: o.ledger.storeId, customerId: o.ledger.customerId }] : [])),
      ...[...resolution.customers.values()].map((c) => ({ storeId: c.storeId, customerId: c.id })),
    ]);

    // Retries keep their first outcome, conflicts included (SPEC.md R1).
    const conflicts = [
      ...existing.filter((e) => e.reason === 'stale_version').map(toOperationDoc),
      ...resolution.outcomes.filter((o) => o.reason === 'stale_version').map((o) => toOperationDoc(outcomeRow(o, userId, now))),
    ];
    return {
      conflicts,
      changed: fresh.length > 0,
      applied: resolution.outcomes.filter((o) => o.status === 'applied').length,
      rejected: resolution.outcomes.filter((o) => o.status === 'rejected').length,
    };
  });
}

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
