import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { CreateStoreRequest, isAdmin, StoreListQuery, UpdateStoreRequest } from '@bazaar/shared';
import { audit } from '../auth/users-repository';
import { currentUser } from '../auth/require-user';
import type { RevocationStore } from '../auth/revocation';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400, validateBody, validateQuery } from '../http/validate';
import { findStore, insertStore, knownRegions, listStores, managersOfRegions, updateStore } from './stores-repository';

const StoreParams = z.object({ storeId: z.uuid() });

// Checked before the body is validated: a non-admin learns nothing about the schema.
const adminsOnly: RequestHandler = (_req, res, next) => {
  if (!isAdmin(currentUser(res))) throw new AppError('forbidden', 'Only admins manage stores.');
  next();
};

/** The admin's stores: list, add, edit (name, city, region, time zone). Owners are given stores as users (PUT /api/users/{id}/access). */
export function storeAdminRoutes(deps: { db: Database; revocations: RevocationStore }): Router {
  const { db, revocations } = deps;
  const router = Router();

  // From the primary: a store just added or changed is in the list.
  router.get('/', adminsOnly, validateQuery(StoreListQuery), async (_req, res) => {
    res.json(await listStores(db.pool, res.locals.query));
  });
  router.get('/regions', adminsOnly, async (_req, res) => {
    res.json({ regions: await knownRegions(db.pool) });
  });

  router.post('/', adminsOnly, validateBody(CreateStoreRequest), async (req, res) => {
    const s: CreateStoreRequest = res.locals.body;
    const { id, managers } = await db.transaction(async (tx) => {
      const id = await insertStore(tx, s);
      await audit(tx, { actorId: currentUser(res).id, action: 'store.created', storeId: id, ip: req.ip, details: s });
      return { id, managers: await managersOfRegions(tx, [s.region ?? null]) };
    });
    await Promise.all(managers.map((m) => revocations.revokeUserTokens(m)));
    res.status(201).json({ id, ...s, timeZone: s.timeZone ?? 'Asia/Karachi' });
  });

  router.put('/:storeId', adminsOnly, validateBody(UpdateStoreRequest), async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    const body: UpdateStoreRequest = res.locals.body;
    const { after, managers } = await db.transaction(async (tx) => {
      const before = await findStore(tx, storeId, true);
      if (!before) throw new AppError('not_found', 'No such store.');
      await updateStore(tx, storeId, body);
      const after = (await findStore(tx, storeId))!;
      await audit(tx, { actorId: currentUser(res).id, action: 'store.updated', storeId, ip: req.ip, details: { before, after } });
      // A store moved between regions changes the stores of those regions' managers.
      const moved = before.region !== after.region;
      return { after, managers: moved ? await managersOfRegions(tx, [before.region, after.region]) : [] };
    });
    // Their access tokens name the old stores; the next refresh reads the new ones.
    await Promise.all(managers.map((m) => revocations.revokeUserTokens(m)));
    res.json(after);
  });
  return router;
}
