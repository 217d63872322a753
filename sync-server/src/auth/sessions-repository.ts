import type { Queryable } from '../db/database';

export const REFRESH_TOKEN_DAYS = 30;

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  device_id: string | null;
  replaced_by: string | null;
  expired: boolean;
  used_at: Date | null;
  /** Rotated less than the grace period ago (see `lockRefreshToken`). */
  in_grace: boolean;
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

/** Whose token this is, without a lock: the user's row is locked first (see the refresh route). */
export async function refreshTokenOwner(db: Queryable, tokenHash: string): Promise<string | null> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM refresh_tokens WHERE token_hash = $1', [tokenHash]);
  return rows[0]?.user_id ?? null;
}

/**
 * The token row, locked, so two concurrent uses of one token are decided one
 * after the other; by its hash, or by id when following a rotation.
 */
export async function lockRefreshToken(db: Queryable, by: { hash: string } | { id: string }, graceSeconds: number): Promise<RefreshTokenRow | null> {
  const { rows } = await db.query<RefreshTokenRow>(
    `SELECT id, user_id, family_id, token_hash, device_id, replaced_by, expires_at < now() AS expired, used_at, revoked_at,
            coalesce(used_at > now() - make_interval(secs => $2), false) AS in_grace
       FROM refresh_tokens WHERE ${'hash' in by ? 'token_hash' : 'id'} = $1 FOR UPDATE`,
    ['hash' in by ? by.hash : by.id, graceSeconds],
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
export const revokeDeviceSessions = (db: Queryable, userId: string, deviceId: string) =>
  revokeFamilies(db, 'user_id = $1 AND device_id = $2', [userId, deviceId]);

/** Records a user's device seen at sign-in; returns false when it was revoked. */
export async function touchDevice(db: Queryable, userId: string, deviceId: string, userAgent: string | undefined): Promise<boolean> {
  const { rows } = await db.query<{ revoked: boolean }>(
    `INSERT INTO devices (user_id, device_id, user_agent) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, device_id) DO UPDATE SET last_seen_at = now(), user_agent = EXCLUDED.user_agent
     RETURNING revoked_at IS NOT NULL AS revoked`,
    [userId, deviceId, userAgent?.slice(0, 300) ?? null],
  );
  return !rows[0]!.revoked;
}

export async function isDeviceRevoked(db: Queryable, userId: string, deviceId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM devices WHERE user_id = $1 AND device_id = $2 AND revoked_at IS NOT NULL', [userId, deviceId]);
  return rows.length > 0;
}

/**
 * Deletes refresh tokens expired more than a day ago, at most `batch` of
 * them: their sessions are over, and reuse detection no longer needs them (an
 * expired token is refused anyway). Returns how many went.
 */
export async function pruneRefreshTokens(db: Queryable, batch: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM refresh_tokens WHERE id IN (
       SELECT id FROM refresh_tokens WHERE expires_at < now() - interval '1 day' LIMIT $1)`,
    [batch],
  );
  return rowCount ?? 0;
}
