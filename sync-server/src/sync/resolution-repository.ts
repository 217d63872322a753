import type { OperationResolution, OperationStatus, OperationType, Resolution, Role } from '@bazaar/shared';
import type { Queryable } from '../db/database';

export interface FoundOperation {
  id: string;
  store_id: string;
  type: OperationType;
  status: OperationStatus;
  discrepancy: boolean;
  resolution: OperationResolution | null;
  resolvable: boolean;
  replacement: boolean;
}

/**
 * The operations `resolutions` name, by store and id, with whether each is
 * refused or flagged and whether its replacement is in the same store. With
 * `lock`, inside a store's transaction, the rows are locked until it ends.
 */
export async function namedOperations(db: Queryable, resolutions: readonly Resolution[], { lock = false } = {}): Promise<Map<string, FoundOperation>> {
  const { rows } = await db.query<FoundOperation>(
    `SELECT o.id, o.store_id, o.type, o.status, o.discrepancy, o.resolution, (o.status = 'rejected' OR o.discrepancy) AS resolvable,
            EXISTS (SELECT 1 FROM operations x WHERE x.store_id = o.store_id AND x.id = k.replacement) AS replacement
       FROM operations o JOIN unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS k(store_id, id, replacement) USING (store_id, id)
     ${lock ? 'FOR UPDATE OF o' : ''}`,
    [resolutions.map((r) => r.storeId), resolutions.map((r) => r.id), resolutions.map((r) => r.replacementId ?? null)],
  );
  return new Map(rows.map((row) => [operationKey(row.store_id, row.id), row]));
}

export const operationKey = (storeId: string, id: string) => `${storeId}:${id}`;

/** Sets each operation's resolution and audits it, in one statement. */
export async function writeResolutions(
  tx: Queryable,
  resolutions: readonly Resolution[],
  by: { userId: string; role: Role; ip: string | null },
): Promise<void> {
  await tx.query(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "storeId" uuid, "deviceId" text, action text, "replacementId" uuid, "createdAt" timestamptz)
     ), updated AS (
       UPDATE operations o
          SET resolution = jsonb_build_object('action', r.action, 'userId', $2::uuid, 'role', $4::text, 'deviceId', r."deviceId",
                'replacementId', r."replacementId", 'at', to_json(r."createdAt"), 'receivedAt', to_json(now()))
         FROM r
        WHERE o.store_id = r."storeId" AND o.id = r.id
       RETURNING o.id, o.store_id, r.action, r."replacementId", r."deviceId"
     )
     INSERT INTO audit_log (actor_id, action, store_id, ip, details)
     SELECT $2::uuid, 'operation.' || u.action, u.store_id, $3,
            jsonb_build_object('operationId', u.id, 'replacementId', u."replacementId", 'deviceId', u."deviceId")
       FROM updated u`,
    [JSON.stringify(resolutions), by.userId, by.ip, by.role],
  );
}
