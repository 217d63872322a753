import { Router } from 'express';
import { mayManageStore, type DeviceInfo } from '@bazaar/shared';
import { z } from 'zod';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400 } from '../http/validate';
import { currentUser } from './require-user';
import type { RevocationStore } from './revocation';
import { revokeDeviceSessions } from './sessions-repository';
import { audit } from './users-repository';

const StoreParams = z.object({ storeId: z.uuid() });
const DeviceParams = z.object({ storeId: z.uuid(), deviceId: z.string().min(1).max(128) });

// A store's devices: those that signed in for one of the store's users.
const STORE_DEVICES = `
  SELECT d.id, u.username AS "lastUser", d.user_agent AS "userAgent", d.first_seen_at AS "firstSeenAt",
         d.last_seen_at AS "lastSeenAt", d.revoked_at AS "revokedAt"
    FROM devices d LEFT JOIN users u ON u.id = d.last_user_id
   WHERE EXISTS (SELECT 1 FROM refresh_tokens rt JOIN user_stores us ON us.user_id = rt.user_id
                  WHERE rt.device_id = d.id AND us.store_id = $1)`;

export function devicesRoutes(deps: { db: Database; revocations: RevocationStore }): Router {
  const router = Router();

  router.get('/:storeId/devices', async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    if (!mayManageStore(currentUser(res), storeId)) throw new AppError('forbidden', "Only the store's owner sees its devices.");
    const { rows } = await deps.db.readPool.query<DeviceInfo>(`${STORE_DEVICES} ORDER BY d.last_seen_at DESC`, [storeId]);
    res.json({ devices: rows });
  });

  /** Ends the device's sync for good: its sessions die now, and it cannot sign in again. */
  router.post('/:storeId/devices/:deviceId/revoke', async (req, res) => {
    const { storeId, deviceId } = parseOr400(DeviceParams, req.params, 'device');
    const actor = currentUser(res);
    if (!mayManageStore(actor, storeId)) throw new AppError('forbidden', "Only the store's owner may revoke its devices.");
    await deps.db.transaction(async (tx) => {
      const { rows } = await tx.query(`${STORE_DEVICES} AND d.id = $2`, [storeId, deviceId]);
      if (rows.length === 0) throw new AppError('not_found', 'This device never signed in to this store.');
      await tx.query('UPDATE devices SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL', [deviceId, actor.id]);
      await revokeDeviceSessions(tx, deviceId);
      await audit(tx, { actorId: actor.id, action: 'device.revoked', storeId, ip: req.ip, details: { deviceId } });
    });
    await deps.revocations.revokeDevice(deviceId);
    res.status(204).end();
  });

  return router;
}
