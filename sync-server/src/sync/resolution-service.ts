import { awaitsDecision, mayPush, type OperationResolution, type OperationStatus, type OperationType, type Resolution } from '@bazaar/shared';
import type { AuthenticatedUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';

interface FoundOperation {
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
  return db.transaction(async (tx) => {
    const { rows: found } = await tx.query<FoundOperation>(
      `SELECT o.id, o.store_id, o.type, o.status, o.discrepancy, o.resolution, (o.status = 'rejected' OR o.discrepancy) AS resolvable,
              EXISTS (SELECT 1 FROM operations x WHERE x.store_id = o.store_id AND x.id = k.replacement) AS replacement
         FROM operations o JOIN unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS k(store_id, id, replacement) USING (store_id, id)
          FOR UPDATE OF o`,
      [resolutions.map((r) => r.storeId), resolutions.map((r) => r.id), resolutions.map((r) => r.replacementId ?? null)],
    );
    const byKey = new Map(found.map((row) => [`${row.store_id}:${row.id}`, row]));
    const forbidden = resolutions.find((r) => {
      const op = byKey.get(`${r.storeId}:${r.id}`);
      return op !== undefined && !mayPush(user, op.type, r.storeId);
    });
    if (forbidden) {
      throw new AppError('forbidden', 'Your role may not decide about this kind of operation; nothing in this push was saved.', { operationId: forbidden.id });
    }
    const problems = resolutions.flatMap((r) => {
      const op = byKey.get(`${r.storeId}:${r.id}`);
      if (!op) return [{ operationId: r.id, message: 'no such operation in this store' }];
      if (!op.resolvable) return [{ operationId: r.id, message: 'only refused or flagged operations are resolved' }];
      if (r.action === 'resent' && !op.replacement) return [{ operationId: r.id, message: 'a resent operation names its replacement, pushed to the same store first' }];
      if (r.action !== 'resent' && r.replacementId) return [{ operationId: r.id, message: 'only a resent operation has a replacement' }];
      return [];
    });
    if (problems.length > 0) throw new AppError('malformed_request', 'Some resolutions name operations that cannot be resolved; nothing was saved.', problems);

    // Set once: a retry, or a later decision, changes nothing, except an
    // owner's review of a flag acknowledged at the counter, which takes its place.
    const writable = resolutions.filter((r) => {
      const op = byKey.get(`${r.storeId}:${r.id}`)!;
      return awaitsDecision({ type: op.type, storeId: op.store_id, outcome: { status: op.status, discrepancy: op.discrepancy, resolution: op.resolution } }, user);
    });
    if (writable.length === 0) return { changedStores: [] };

    const { rows: changed } = await tx.query<{ id: string; store_id: string; action: string }>(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "storeId" uuid, "deviceId" text, action text, "replacementId" uuid, "createdAt" timestamptz)
       ), updated AS (
         UPDATE operations o
            SET resolution = jsonb_build_object('action', r.action, 'userId', $2::uuid, 'role', $4::text, 'deviceId', r."deviceId",
                  'replacementId', r."replacementId", 'at', to_json(r."createdAt"), 'receivedAt', to_json(now()))
           FROM r
          WHERE o.store_id = r."storeId" AND o.id = r.id
         RETURNING o.id, o.store_id, r.action, r."replacementId", r."deviceId"
       ), audited AS (
         INSERT INTO audit_log (actor_id, action, store_id, ip, details)
         SELECT $2::uuid, 'operation.' || u.action, u.store_id, $3,
                jsonb_build_object('operationId', u.id, 'replacementId', u."replacementId", 'deviceId', u."deviceId")
           FROM updated u
       )
       SELECT id, store_id, action FROM updated`,
      [JSON.stringify(writable), user.id, context.ip ?? null, user.role],
    );
    return { changedStores: [...new Set(changed.map((c) => c.store_id))] };
  });
}
