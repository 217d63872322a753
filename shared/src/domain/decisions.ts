import type { Role, SessionUser } from '../protocol/auth';
import type { OperationStatus, OperationType } from '../protocol/operations';
import type { OperationResolution } from '../protocol/resolutions';
import { mayManageStore } from './permissions';

/** What these rules read of an operation: its kind, and its outcome with any decision already taken (none before it syncs). */
export interface DecidedOperation {
  type: OperationType;
  storeId: string;
  outcome?:
    | {
        status: OperationStatus;
        discrepancy: boolean;
        resolution: Pick<OperationResolution, 'action' | 'role'> | null;
      }
    | undefined;
}

type Actor = Pick<SessionUser, 'role' | 'storeIds'>;

const managers: readonly Role[] = ['owner', 'admin'];

/**
 * A flag (an applied operation with a discrepancy, such as a sale that took
 * stock below zero) acknowledged by someone who does not manage the store, a
 * shopkeeper at the counter: seen there, but a possible theft signal its
 * owner must still see and review (SPEC.md R9).
 */
export function awaitsReview(op: DecidedOperation): boolean {
  const r = op.outcome?.resolution;
  return (
    op.outcome?.status === 'applied' &&
    op.outcome.discrepancy &&
    r?.action === 'acknowledged' &&
    r.role !== undefined &&
    !managers.includes(r.role)
  );
}

/**
 * Whether `op` waits for a decision from someone like `user`: it was refused
 * or flagged, and either nobody decided yet or it awaits a review this user
 * may give. Who may take the decision is `mayPush` of its kind (R9); those
 * who may not are shown it explained.
 */
export function awaitsDecision(op: DecidedOperation, user: Actor): boolean {
  if (!op.outcome || (op.outcome.status !== 'rejected' && !op.outcome.discrepancy)) return false;
  return !op.outcome.resolution || (awaitsReview(op) && mayManageStore(user, op.storeId));
}
