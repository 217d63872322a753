import type { OperationType } from '../protocol/operations';
import type { Role, SessionUser } from '../protocol/auth';

/**
 * Which roles may push which operation. The README's permission matrix is
 * this table; a store must also be one of the user's stores.
 */
export const operationPermissions: Readonly<Record<OperationType, readonly Role[]>> = {
  sale: ['shopkeeper', 'owner'],
  return: ['shopkeeper', 'owner'],
  purchase: ['owner'],
  adjustment: ['owner'],
  count: ['owner'],
  store_product_update: ['owner'],
};

export function mayPush(user: Pick<SessionUser, 'role' | 'storeIds'>, type: OperationType, storeId: string): boolean {
  return operationPermissions[type].includes(user.role) && user.storeIds.includes(storeId);
}

/** Admins read every store; everyone else only the stores they belong to. */
export function mayReadStore(user: Pick<SessionUser, 'role' | 'storeIds'>, storeId: string): boolean {
  return user.role === 'admin' || user.storeIds.includes(storeId);
}
