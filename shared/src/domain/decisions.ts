import type { Role, SessionUser } from '../protocol/auth';
import type { OperationStatus, OperationType } from '../protocol/operations';
import type { OperationResolution } from '../protocol/resolutions';
import { mayManageStore } from './permissions';

/** What these rules read of an operation: its kind, outcome and any decision already taken. */
export interface DecidedOperation {
  type: OperationType;
  storeId: string;
  status?: OperationStatus | undefined;
  discrepancy?: boolean | undefined;
  resolution?: Pick<OperationResolution, 'action' | 'role'> | null | undefined;
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
  const r = op.resolution;
  return (
    op.status === 'applied' &&
    op.discrepancy === true &&
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
  if (op.status !== 'rejected' && op.discrepancy !== true) return false;
  return !op.resolution || (awaitsReview(op) && mayManageStore(user, op.storeId));
}
