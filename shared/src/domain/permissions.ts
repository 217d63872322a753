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
  // The counter keeps the ledger: regulars are added and pay where they buy.
  customer: ['shopkeeper', 'owner'],
  credit_payment: ['shopkeeper', 'owner'],
  // Whoever sells closes the day; a short drawer is flagged to the owner.
  cash_close: ['shopkeeper', 'owner'],
  // Suppliers are the owner's, as purchases are.
  supplier: ['owner'],
  supplier_payment: ['owner'],
};

export function mayPush(user: Pick<SessionUser, 'role' | 'storeIds'>, type: OperationType, storeId: string): boolean {
  return operationPermissions[type].includes(user.role) && user.storeIds.includes(storeId);
}

/** Admins read every store; everyone else only the stores they belong to. */
export function mayReadStore(user: Pick<SessionUser, 'role' | 'storeIds'>, storeId: string): boolean {
  return user.role === 'admin' || user.storeIds.includes(storeId);
}

type Actor = Pick<SessionUser, 'role' | 'storeIds'>;

/** Admins manage anyone; an owner manages the shopkeepers of their own stores (their staff). */
export function mayManageUser(actor: Actor, target: Actor): boolean {
  if (actor.role === 'admin') return true;
  return (
    actor.role === 'owner' &&
    target.role === 'shopkeeper' &&
    target.storeIds.length > 0 &&
    target.storeIds.every((s) => actor.storeIds.includes(s))
  );
}

/**
 * Whose devices an actor may see and revoke in a store they manage: their
 * own, and those of the users they manage (an owner: the shopkeepers of their
 * own stores). Never a manager's, another owner's or an admin's, unless the
 * actor is an admin.
 */
export function mayRevokeDevice(actor: Actor & { id: string }, deviceUser: Actor & { id: string }): boolean {
  return actor.id === deviceUser.id || mayManageUser(actor, deviceUser);
}

/** Devices and staff of a store: its owners, and admins. */
export function mayManageStore(actor: Actor, storeId: string): boolean {
  return actor.role === 'admin' || (actor.role === 'owner' && actor.storeIds.includes(storeId));
}

/**
 * Reports (what the workers computed): owners for their stores, managers for
 * their assigned stores, admins for all. Shopkeepers see none: their day's
 * figures are on the device.
 */
export function mayReadReports(user: Actor, storeId: string): boolean {
  return user.role !== 'shopkeeper' && mayReadStore(user, storeId);
}

/** The central catalog, stores and roles are the admins' alone. */
export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

/**
 * Managers and admins work across stores: they land on the dashboards, and
 * open one store's own screens from there. Shopkeepers and owners land in
 * their store.
 */
export function worksAcrossStores(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'manager' || user.role === 'admin';
}
