import { mayPush, type Resolution } from '@bazaar/shared';
import type { AuthenticatedUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';

/**
 * Records what people decided about refused or flagged operations (SPEC.md
 * R9). Whoever may sell in a store may resolve its operations; a resolution
 * for another store refuses the whole push. A resolution is set once: a retry,
 * or a second device deciding later, changes nothing.
 */
export async function recordResolutions(
  db: Database,
  user: Pick<AuthenticatedUser, 'id' | 'role' | 'storeIds'>,
  resolutions: readonly Resolution[],
  context: { ip?: string | undefined } = {},
): Promise<{ changedStores: string[] }> {
  for (const r of resolutions) {
    if (!mayPush(user, 'sale', r.storeId)) {
      throw new AppError('forbidden', `You may not resolve operations of store ${r.storeId}; nothing in this push was saved.`, { operationId: r.id });
    }
  }
  return db.transaction(async (tx) => {
    const { rows: found } = await tx.query<{ id: string; store_id: string; resolvable: boolean }>(
      `SELECT id, store_id, (status = 'rejected' OR discrepancy) AS resolvable FROM operations WHERE id = ANY($1::uuid[]) FOR UPDATE`,
      [resolutions.map((r) => r.id)],
    );
    const byId = new Map(found.map((row) => [row.id, row]));
    const problems = resolutions.flatMap((r) => {
      const op = byId.get(r.id);
      if (!op || op.store_id !== r.storeId) return [{ operationId: r.id, message: 'no such operation in this store' }];
      if (!op.resolvable) return [{ operationId: r.id, message: 'only refused or flagged operations are resolved' }];
      return [];
    });
    if (problems.length > 0) throw new AppError('malformed_request', 'Some resolutions name operations that cannot be resolved; nothing was saved.', problems);

    const { rows: changed } = await tx.query<{ id: string; store_id: string; action: string }>(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "deviceId" text, action text, "replacementId" uuid, "createdAt" timestamptz)
       ), updated AS (
         UPDATE operations o
            SET resolution = jsonb_build_object('action', r.action, 'userId', $2::uuid, 'deviceId', r."deviceId",
                  'replacementId', r."replacementId", 'at', to_json(r."createdAt"), 'receivedAt', to_json(now()))
           FROM r
          WHERE o.id = r.id AND o.resolution IS NULL
         RETURNING o.id, o.store_id, r.action, r."replacementId", r."deviceId"
       ), audited AS (
         INSERT INTO audit_log (actor_id, action, store_id, ip, details)
         SELECT $2::uuid, 'operation.' || u.action, u.store_id, $3,
                jsonb_build_object('operationId', u.id, 'replacementId', u."replacementId", 'deviceId', u."deviceId")
           FROM updated u
       )
       SELECT id, store_id, action FROM updated`,
      [JSON.stringify(resolutions), user.id, context.ip ?? null],
    );
    return { changedStores: [...new Set(changed.map((c) => c.store_id))] };
  });
}
