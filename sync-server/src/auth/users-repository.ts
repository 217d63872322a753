import type { Role, SessionUser } from '@bazaar/shared';
import type { Queryable } from '../db/database';

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  store_ids: string[];
}

const selectUser = (where: string) =>
  `SELECT u.id, u.username, u.password_hash, u.role, u.disabled,
          coalesce(array_agg(us.store_id ORDER BY us.store_id) FILTER (WHERE us.store_id IS NOT NULL), '{}') AS store_ids
     FROM users u LEFT JOIN user_stores us ON us.user_id = u.id
    WHERE ${where}
    GROUP BY u.id`;

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(selectUser('u.username = $1'), [username]);
  return rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(selectUser('u.id = $1'), [id]);
  return rows[0] ?? null;
}

/**
 * Holds the user's row against a concurrent password change, disable or role
 * change until the transaction ends. Taken before any refresh token lock, in
 * the order those changes take them (user, then tokens), so the two wait for
 * each other instead of deadlocking.
 */
export async function lockUserRow(db: Queryable, id: string): Promise<void> {
  await db.query('SELECT 1 FROM users WHERE id = $1 FOR SHARE', [id]);
}

export function toSessionUser(row: UserRow): SessionUser {
  return { id: row.id, username: row.username, role: row.role, storeIds: row.store_ids };
}

export async function createUser(
  db: Queryable,
  user: { username: string; passwordHash: string; role: Role; storeIds: string[]; displayName?: string },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `WITH u AS (
       INSERT INTO users (username, password_hash, role, display_name) VALUES ($1, $2, $3, $4) RETURNING id
     ), s AS (
       INSERT INTO user_stores (user_id, store_id) SELECT u.id, unnest($5::uuid[]) FROM u
     )
     SELECT id FROM u`,
    [user.username, user.passwordHash, user.role, user.displayName ?? null, user.storeIds],
  );
  return rows[0]!.id;
}

export async function audit(
  db: Queryable,
  entry: { actorId: string | null; action: string; storeId?: string | null; ip?: string | null; details?: object },
): Promise<void> {
  await db.query('INSERT INTO audit_log (actor_id, action, store_id, ip, details) VALUES ($1, $2, $3, $4, $5)', [
    entry.actorId,
    entry.action,
    entry.storeId ?? null,
    entry.ip ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}
