import { Router } from 'express';
import { mayManageStore, mayRevokeDevice, type DeviceInfo, type DeviceList } from '@bazaar/shared';
import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400 } from '../http/validate';
import { currentUser } from './require-user';
import type { AuthenticatedUser } from './tokens';
import type { RevocationStore } from './revocation';
import { revokeDeviceSessions } from './sessions-repository';
import { audit } from './users-repository';

const StoreParams = z.object({ storeId: z.uuid() });
const DeviceParams = z.object({ storeId: z.uuid(), userId: z.uuid(), deviceId: z.string().min(1).max(128) });

type DeviceRow = DeviceInfo & { storeIds: string[] };

/**
 * The devices of a store's users, and the actor's own (an admin has none in
 * the store), with what `mayRevokeDevice` needs to know of each user. Found
 * through user_stores (indexed by store), never by scanning refresh tokens.
 */
async function storeDevices(db: Queryable, storeId: string, actorId: string, only?: { userId: string; deviceId: string }): Promise<DeviceRow[]> {
  const { rows } = await db.query<DeviceRow>(
    `SELECT d.user_id AS "userId", u.username, u.role, d.device_id AS "deviceId", d.user_agent AS "userAgent",
            d.first_seen_at AS "firstSeenAt", d.last_seen_at AS "lastSeenAt", d.revoked_at AS "revokedAt",
            array(SELECT store_id FROM user_stores s WHERE s.user_id = u.id) AS "storeIds"
       FROM devices d JOIN users u ON u.id = d.user_id
      WHERE (d.user_id = $2 OR d.user_id IN (SELECT user_id FROM user_stores WHERE store_id = $1))
        AND ($3::uuid IS NULL OR (d.user_id = $3 AND d.device_id = $4))
      ORDER BY d.last_seen_at DESC`,
    [storeId, actorId, only?.userId ?? null, only?.deviceId ?? null],
  );
  return rows;
}

const mayRevoke = (actor: AuthenticatedUser, row: DeviceRow) =>
  mayRevokeDevice(actor, { id: row.userId, role: row.role, storeIds: row.storeIds });

const toInfo = ({ storeIds: _, ...info }: DeviceRow): DeviceInfo => info;

export function devicesRoutes(deps: { db: Database; revocations: RevocationStore }): Router {
  const router = Router();

  /** The devices the caller may revoke in this store: its shopkeepers' and the caller's own (an admin: everybody's). */
  router.get('/:storeId/devices', async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    const actor = currentUser(res);
    if (!mayManageStore(actor, storeId)) throw new AppError('forbidden', "Only the store's owner sees its devices.");
    const rows = await storeDevices(deps.db.readPool, storeId, actor.id);
    const body: DeviceList = { devices: rows.filter((row) => mayRevoke(actor, row)).map(toInfo) };
    res.json(body);
  });

  /** Ends a user's device for good: its sessions die now, and that user cannot sign in on it again. */
  router.post('/:storeId/users/:userId/devices/:deviceId/revoke', async (req, res) => {
    const { storeId, userId, deviceId } = parseOr400(DeviceParams, req.params, 'device');
    const actor = currentUser(res);
    if (!mayManageStore(actor, storeId)) throw new AppError('forbidden', "Only the store's owner may revoke its devices.");
    await deps.db.transaction(async (tx) => {
      const [row] = await storeDevices(tx, storeId, actor.id, { userId, deviceId });
      if (!row) throw new AppError('not_found', 'No user of this store signed in on this device.');
      if (!mayRevoke(actor, row)) throw new AppError('forbidden', "Owners revoke their shopkeepers' devices and their own; this one is not theirs.");
      await tx.query('UPDATE devices SET revoked_at = now(), revoked_by = $3 WHERE user_id = $1 AND device_id = $2 AND revoked_at IS NULL', [
        userId,
        deviceId,
        actor.id,
      ]);
      await revokeDeviceSessions(tx, userId, deviceId);
      await audit(tx, { actorId: actor.id, action: 'device.revoked', storeId, ip: req.ip, details: { userId, deviceId } });
    });
    await deps.revocations.revokeDevice(userId, deviceId);
    res.status(204).end();
  });

  return router;
}
