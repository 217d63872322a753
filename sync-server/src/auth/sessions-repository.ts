import type { Queryable } from '../db/database';

export const REFRESH_TOKEN_DAYS = 30;

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  device_id: string | null;
  expired: boolean;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Stores a refresh token (hashed) as the newest of its family; returns its id. */
export async function insertRefreshToken(
  db: Queryable,
  token: { userId: string; familyId: string; tokenHash: string; deviceId: string | null },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, device_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id`,
    [token.userId, token.familyId, token.tokenHash, token.deviceId, REFRESH_TOKEN_DAYS],
  );
  return rows[0]!.id;
}

/** The token row, locked, so two concurrent uses of one token are decided one after the other. */
export async function lockRefreshToken(db: Queryable, tokenHash: string): Promise<RefreshTokenRow | null> {
  const { rows } = await db.query<RefreshTokenRow>(
    `SELECT id, user_id, family_id, device_id, expires_at < now() AS expired, used_at, revoked_at
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function markRefreshTokenUsed(db: Queryable, id: string, replacedBy: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET used_at = now(), replaced_by = $2 WHERE id = $1', [id, replacedBy]);
}

/** Ends sessions: every live token of the families matching `where`; returns the family ids. */
async function revokeFamilies(db: Queryable, where: string, params: unknown[]): Promise<string[]> {
  const { rows } = await db.query<{ family_id: string }>(
    `WITH r AS (UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND ${where} RETURNING family_id)
     SELECT DISTINCT family_id FROM r`,
    params,
  );
  return rows.map((r) => r.family_id);
}

export const revokeFamily = (db: Queryable, familyId: string) => revokeFamilies(db, 'family_id = $1', [familyId]);
export const revokeUserSessions = (db: Queryable, userId: string) => revokeFamilies(db, 'user_id = $1', [userId]);
export const revokeDeviceSessions = (db: Queryable, deviceId: string) => revokeFamilies(db, 'device_id = $1', [deviceId]);

/** Records a device seen at sign-in; returns false when an owner revoked it. */
export async function touchDevice(db: Queryable, deviceId: string, userId: string, userAgent: string | undefined): Promise<boolean> {
  const { rows } = await db.query<{ revoked: boolean }>(
    `INSERT INTO devices (id, last_user_id, user_agent) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET last_seen_at = now(), last_user_id = EXCLUDED.last_user_id, user_agent = EXCLUDED.user_agent
     RETURNING revoked_at IS NOT NULL AS revoked`,
    [deviceId, userId, userAgent?.slice(0, 300) ?? null],
  );
  return !rows[0]!.revoked;
}

export async function isDeviceRevoked(db: Queryable, deviceId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM devices WHERE id = $1 AND revoked_at IS NOT NULL', [deviceId]);
  return rows.length > 0;
}
