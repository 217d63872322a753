import { Router } from 'express';
import { mayManageStore, mayManageUser, type StaffList, type StaffMember } from '@bazaar/shared';
import { z } from 'zod';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400 } from '../http/validate';
import { currentUser } from './require-user';

const StoreParams = z.object({ storeId: z.uuid() });

/**
 * `GET /api/stores/{storeId}/staff`: the people of a store its owner manages
 * (its shopkeepers, disabled ones too, so they can be seen as such) and the
 * owner themself; an admin sees everyone of the store.
 */
export function staffRoutes(db: Database): Router {
  const router = Router();
  router.get('/:storeId/staff', async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    const actor = currentUser(res);
    if (!mayManageStore(actor, storeId)) throw new AppError('forbidden', "Only the store's owner sees its staff.");
    const { rows } = await db.readPool.query<StaffMember & { storeIds: string[] }>(
      `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.disabled, u.created_at AS "createdAt",
              (SELECT max(d.last_seen_at) FROM devices d WHERE d.user_id = u.id) AS "lastSeenAt",
              array(SELECT s.store_id FROM user_stores s WHERE s.user_id = u.id) AS "storeIds"
         FROM user_stores us JOIN users u ON u.id = us.user_id
        WHERE us.store_id = $1
        ORDER BY u.disabled, u.role DESC, u.username`,
      [storeId],
    );
    const body: StaffList = {
      staff: rows
        .filter((row) => row.id === actor.id || mayManageUser(actor, row))
        .map(({ storeIds: _, ...row }) => ({
          ...row,
          createdAt: new Date(row.createdAt).toISOString(),
          lastSeenAt: row.lastSeenAt ? new Date(row.lastSeenAt).toISOString() : null,
        })),
    };
    res.json(body);
  });
  return router;
}
