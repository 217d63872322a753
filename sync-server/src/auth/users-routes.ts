import { Router, type RequestHandler } from 'express';
import { type Role, ChangeRoleRequest, CreateUserRequest, isAdmin, mayManageUser, UserAccessRequest, UserListQuery } from '@bazaar/shared';
import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400, validateBody, validateQuery } from '../http/validate';
import { hashPassword } from './password';
import { currentUser } from './require-user';
import type { RevocationStore } from './revocation';
import { revokeUserSessions } from './sessions-repository';
import { audit, createUser, findUserById, listUsers, setUserAccess, toSessionUser } from './users-repository';

const UserParams = z.object({ userId: z.uuid() });

/** Staff and accounts: admins manage everyone, owners the shopkeepers of their stores. */
export function usersRoutes(deps: { db: Database; revocations: RevocationStore }): Router {
  const { db, revocations } = deps;
  const router = Router();

  const target = async (params: unknown) => {
    const { userId } = parseOr400(UserParams, params, 'user id');
    const row = await findUserById(db.pool, userId);
    if (!row) throw new AppError('not_found', 'No such user.');
    return row;
  };

  /**
   * Ends every session of a user at once: refresh families in the same
   * transaction as the change (after its update of the user's row, the order
   * a refresh takes its locks in), live access tokens in Redis after commit.
   */
  const endSessions = (userId: string) => revocations.revokeUserTokens(userId);

  // Checked before the body is validated: a non-admin learns nothing about the schema.
  const adminsOnly =
    (what: string): RequestHandler =>
    (_req, res, next) => {
      if (!isAdmin(currentUser(res))) throw new AppError('forbidden', `Only admins ${what}.`);
      next();
    };

  /** Refuses stores that do not exist, and regions for anyone but a manager. */
  const checkAccess = async (tx: Queryable, role: Role, access: { storeIds: string[]; regions?: string[] | undefined }) => {
    const { rows: known } = await tx.query('SELECT count(*)::int AS n FROM stores WHERE id = ANY($1::uuid[])', [access.storeIds]);
    if (known[0].n !== new Set(access.storeIds).size) throw new AppError('malformed_request', 'One of the stores does not exist.');
    if ((access.regions ?? []).length > 0 && role !== 'manager') throw new AppError('malformed_request', 'Only managers watch whole regions; give others their stores.');
  };

  // Admins only, from the primary: a user just added or changed is in the list.
  router.get('/', adminsOnly('list users'), validateQuery(UserListQuery), async (_req, res) => {
    res.json(await listUsers(db.pool, res.locals.query));
  });

  router.post('/', validateBody(CreateUserRequest), async (req, res) => {
    const actor = currentUser(res);
    const body: CreateUserRequest = res.locals.body;
    if (!mayManageUser(actor, body)) {
      throw new AppError('forbidden', 'Owners may add shopkeepers to their own stores; everything else is for admins.');
    }
    const passwordHash = await hashPassword(body.password);
    const id = await db.transaction(async (tx) => {
      await checkAccess(tx, body.role, body);
      const { rows: taken } = await tx.query('SELECT 1 FROM users WHERE username = $1', [body.username]);
      if (taken.length > 0) throw new AppError('malformed_request', 'That username is taken.');
      const userId = await createUser(tx, { ...body, passwordHash });
      await audit(tx, { actorId: actor.id, action: 'user.created', ip: req.ip, details: { userId, role: body.role, storeIds: body.storeIds, regions: body.regions ?? [] } });
      return userId;
    });
    res.status(201).json({ id, username: body.username, role: body.role, storeIds: body.storeIds });
  });

  router.put('/:userId/access', adminsOnly('change where people work'), validateBody(UserAccessRequest), async (req, res) => {
    const actor = currentUser(res);
    const row = await target(req.params);
    const access: UserAccessRequest = res.locals.body;
    await db.transaction(async (tx) => {
      await checkAccess(tx, row.role, access);
      await setUserAccess(tx, row.id, access);
      await audit(tx, { actorId: actor.id, action: 'user.access_changed', ip: req.ip, details: { userId: row.id, from: row.store_ids, to: access } });
    });
    // Tokens carry the stores: the next refresh reads the new ones. A store taken away ends its sync at the next request.
    await endSessions(row.id);
    res.status(204).end();
  });

  router.post('/:userId/enable', async (req, res) => {
    const actor = currentUser(res);
    const row = await target(req.params);
    if (!mayManageUser(actor, toSessionUser(row))) throw new AppError('forbidden', 'You may not enable this user.');
    await db.transaction(async (tx) => {
      await tx.query('UPDATE users SET disabled = false WHERE id = $1', [row.id]);
      await audit(tx, { actorId: actor.id, action: 'user.enabled', ip: req.ip, details: { userId: row.id } });
    });
    res.status(204).end();
  });

  router.post('/:userId/disable', async (req, res) => {
    const actor = currentUser(res);
    const row = await target(req.params);
    if (!mayManageUser(actor, toSessionUser(row))) throw new AppError('forbidden', 'You may not disable this user.');
    await db.transaction(async (tx) => {
      await tx.query('UPDATE users SET disabled = true WHERE id = $1', [row.id]);
      await revokeUserSessions(tx, row.id);
      await audit(tx, { actorId: actor.id, action: 'user.disabled', ip: req.ip, details: { userId: row.id } });
    });
    await endSessions(row.id);
    res.status(204).end();
  });

  router.post('/:userId/role', validateBody(ChangeRoleRequest), async (req, res) => {
    const actor = currentUser(res);
    if (!isAdmin(actor)) throw new AppError('forbidden', 'Only admins change roles.');
    const row = await target(req.params);
    const { role }: ChangeRoleRequest = res.locals.body;
    await db.transaction(async (tx) => {
      await tx.query('UPDATE users SET role = $2 WHERE id = $1', [row.id, role]);
      await revokeUserSessions(tx, row.id);
      await audit(tx, { actorId: actor.id, action: 'user.role_changed', ip: req.ip, details: { userId: row.id, from: row.role, to: role } });
    });
    // Tokens carry the role: the old ones must not outlive the change.
    await endSessions(row.id);
    res.status(204).end();
  });

  return router;
}
