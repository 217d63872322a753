import { awaitsDecision, mayPush, type Resolution } from '@bazaar/shared';
import type { AuthenticatedUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { namedOperations, operationKey, writeResolutions, type FoundOperation } from './resolution-repository';

/**
 * Records what people decided about refused or flagged operations (SPEC.md
 * R9). A person may decide about an operation only if their role may push
 * that kind of operation in its store: a shopkeeper cannot settle an owner's
 * price conflict. A resolution for a store or operation the user may not act
 * on refuses the whole push (403); one naming an operation that does not
 * exist in that store, was applied cleanly, or is `resent` with a
 * replacement that is not in the same store, is a 400. A resolution is set
 * once: a retry, or a second device deciding later, changes nothing; only a
 * flag a shopkeeper acknowledged is reviewed again by the store's owner
 * (`awaitsDecision`), whose decision replaces it (the audit log keeps both).
 *
 * The whole push is checked first, then written one store per transaction,
 * as operations are (R8). Checking without locks is safe because what the
 * check reads only ever moves towards allowed: operations are never removed,
 * their type, status and flag never change once logged, and a replacement
 * once pushed stays. Whether a decision is still due is read again under
 * the store's lock.
 */
export async function recordResolutions(
  db: Database,
  user: Pick<AuthenticatedUser, 'id' | 'role' | 'storeIds'>,
  resolutions: readonly Resolution[],
  context: { ip?: string | undefined } = {},
): Promise<{ changedStores: string[] }> {
  for (const r of resolutions) {
    if (!user.storeIds.includes(r.storeId)) {
      throw new AppError('forbidden', `You may not resolve operations of store ${r.storeId}; nothing in this push was saved.`, { operationId: r.id });
    }
  }
  const found = await namedOperations(db.pool, resolutions);
  const forbidden = resolutions.find((r) => {
    const op = found.get(operationKey(r.storeId, r.id));
    return op !== undefined && !mayPush(user, op.type, r.storeId);
  });
  if (forbidden) {
    throw new AppError('forbidden', 'Your role may not decide about this kind of operation; nothing in this push was saved.', { operationId: forbidden.id });
  }
  const problems = resolutions.flatMap((r) => {
    const op = found.get(operationKey(r.storeId, r.id));
    if (!op) return [{ operationId: r.id, message: 'no such operation in this store' }];
    if (!op.resolvable) return [{ operationId: r.id, message: 'only refused or flagged operations are resolved' }];
    if (r.action === 'resent' && !op.replacement) return [{ operationId: r.id, message: 'a resent operation names its replacement, pushed to the same store first' }];
    if (r.action !== 'resent' && r.replacementId) return [{ operationId: r.id, message: 'only a resent operation has a replacement' }];
    return [];
  });
  if (problems.length > 0) throw new AppError('malformed_request', 'Some resolutions name operations that cannot be resolved; nothing was saved.', problems);

  const byStore = new Map<string, Resolution[]>();
  for (const r of resolutions) (byStore.get(r.storeId) ?? byStore.set(r.storeId, []).get(r.storeId)!).push(r);
  const changedStores: string[] = [];
  for (const [storeId, ofStore] of byStore) {
    const changed = await db.transaction(async (tx) => {
      const locked = await namedOperations(tx, ofStore, { lock: true });
      // Set once: a retry, or a later decision, changes nothing, except an
      // owner's review of a flag acknowledged at the counter, which takes its place.
      const writable = ofStore.filter((r) => stillDue(locked.get(operationKey(r.storeId, r.id))!, user));
      if (writable.length > 0) await writeResolutions(tx, writable, { userId: user.id, role: user.role, ip: context.ip ?? null });
      return writable.length > 0;
    });
    if (changed) changedStores.push(storeId);
  }
  return { changedStores };
}

const stillDue = (op: FoundOperation, user: Pick<AuthenticatedUser, 'id' | 'role' | 'storeIds'>) =>
  awaitsDecision({ type: op.type, storeId: op.store_id, outcome: { status: op.status, discrepancy: op.discrepancy, resolution: op.resolution } }, user);
