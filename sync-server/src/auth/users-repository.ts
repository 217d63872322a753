import type { AdminUser, Role, SessionUser, UserList, UserListQuery } from '@bazaar/shared';
import { containing } from '../db/search';
import type { Queryable } from '../db/database';

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  store_ids: string[];
}

/** A user with every store they work in: those assigned one by one, and every store of a manager's regions. */
const selectUser = (where: string) =>
  `SELECT u.id, u.username, u.password_hash, u.role, u.disabled,
          coalesce((SELECT array_agg(x.store_id ORDER BY x.store_id)
                      FROM (SELECT us.store_id FROM user_stores us WHERE us.user_id = u.id
                            UNION
                            SELECT s.id FROM user_regions ur JOIN stores s ON s.region = ur.region
                             WHERE ur.user_id = u.id AND u.role = 'manager') x), '{}') AS store_ids
     FROM users u
    WHERE ${where}`;

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
  user: { username: string; passwordHash: string; role: Role; storeIds: string[]; regions?: string[]; displayName?: string },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `WITH u AS (
       INSERT INTO users (username, password_hash, role, display_name) VALUES ($1, $2, $3, $4) RETURNING id
     ), s AS (
       INSERT INTO user_stores (user_id, store_id) SELECT u.id, unnest($5::uuid[]) FROM u
     ), r AS (
       INSERT INTO user_regions (user_id, region) SELECT u.id, unnest($6::text[]) FROM u
     )
     SELECT id FROM u`,
    [user.username, user.passwordHash, user.role, user.displayName ?? null, user.storeIds, user.regions ?? []],
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

interface AdminUserRow {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  disabled: boolean;
  stores: { id: string; name: string }[];
  regions: string[];
  createdAt: Date;
}

/** A page of users by username, searched by username or display name, with their assigned stores and regions. */
export async function listUsers(db: Queryable, query: UserListQuery): Promise<UserList> {
  const { rows } = await db.query<AdminUserRow & { total: string }>(
    `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.disabled, u.created_at AS "createdAt",
            coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name, s.id)
                        FROM user_stores us JOIN stores s ON s.id = us.store_id WHERE us.user_id = u.id), '[]') AS stores,
            array(SELECT region FROM user_regions WHERE user_id = u.id ORDER BY region) AS regions,
            count(*) OVER () AS total
       FROM users u
      WHERE ($1::text IS NULL OR u.username ILIKE $1 OR u.display_name ILIKE $1) AND ($2::text IS NULL OR u.role = $2)
      ORDER BY u.username LIMIT $3 OFFSET $4`,
    [containing(query.q), query.role ?? null, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return {
    rows: rows.map(({ total: _total, createdAt, ...r }): AdminUser => ({ ...r, createdAt: createdAt.toISOString() })),
    total: Number(rows[0]?.total ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Replaces the stores a user is assigned and a manager's regions. */
export async function setUserAccess(tx: Queryable, userId: string, access: { storeIds: string[]; regions: string[] }): Promise<void> {
  await tx.query(
    `WITH gone AS (DELETE FROM user_stores WHERE user_id = $1 AND NOT store_id = ANY($2::uuid[])),
          added AS (INSERT INTO user_stores (user_id, store_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING),
          gone_regions AS (DELETE FROM user_regions WHERE user_id = $1 AND NOT region = ANY($3::text[]))
     INSERT INTO user_regions (user_id, region) SELECT $1, unnest($3::text[]) ON CONFLICT DO NOTHING`,
    [userId, access.storeIds, access.regions],
  );
}
