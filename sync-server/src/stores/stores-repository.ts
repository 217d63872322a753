import type { AdminStore, CreateStoreRequest, StoreList, StoreListQuery, UpdateStoreRequest } from '@bazaar/shared';
import type { Queryable } from '../db/database';
import { containing } from '../db/search';

interface StoreRow {
  id: string;
  name: string;
  city: string | null;
  region: string | null;
  timeZone: string;
  owners: { id: string; username: string }[];
  createdAt: Date;
}

const STORE_COLUMNS = `s.id, s.name, s.city, s.region, s.time_zone AS "timeZone", s.created_at AS "createdAt",
  coalesce((SELECT json_agg(json_build_object('id', u.id, 'username', u.username) ORDER BY u.username)
              FROM user_stores us JOIN users u ON u.id = us.user_id AND u.role = 'owner' AND NOT u.disabled
             WHERE us.store_id = s.id), '[]') AS owners`;

const toStore = (r: StoreRow): AdminStore => ({ ...r, createdAt: r.createdAt.toISOString() });

/** A page of stores by name, searched by name, city or region, each with its owners. */
export async function listStores(db: Queryable, query: StoreListQuery): Promise<StoreList> {
  const { rows } = await db.query<StoreRow & { total: string }>(
    `SELECT ${STORE_COLUMNS}, count(*) OVER () AS total FROM stores s
      WHERE $1::text IS NULL OR s.name ILIKE $1 OR s.city ILIKE $1 OR s.region ILIKE $1
      ORDER BY s.name, s.id LIMIT $2 OFFSET $3`,
    [containing(query.q), query.pageSize, (query.page - 1) * query.pageSize],
  );
  return { rows: rows.map(({ total: _total, ...r }) => toStore(r)), total: Number(rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function findStore(db: Queryable, id: string, lock = false): Promise<AdminStore | null> {
  const { rows } = await db.query<StoreRow>(`SELECT ${STORE_COLUMNS} FROM stores s WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`, [id]);
  return rows[0] ? toStore(rows[0]) : null;
}

export async function insertStore(tx: Queryable, s: CreateStoreRequest): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO stores (name, city, region, time_zone) VALUES ($1, $2, $3, coalesce($4, 'Asia/Karachi')) RETURNING id`,
    [s.name, s.city ?? null, s.region ?? null, s.timeZone ?? null],
  );
  return rows[0]!.id;
}

export async function updateStore(tx: Queryable, id: string, s: UpdateStoreRequest): Promise<void> {
  await tx.query('UPDATE stores SET name = $2, city = $3, region = $4, time_zone = $5 WHERE id = $1', [id, s.name, s.city ?? null, s.region ?? null, s.timeZone]);
}

/** The managers who watch any of `regions`: their stores change when a store moves between regions. */
export async function managersOfRegions(db: Queryable, regions: readonly (string | null)[]): Promise<string[]> {
  const named = regions.filter((r): r is string => r !== null);
  if (named.length === 0) return [];
  const { rows } = await db.query<{ user_id: string }>('SELECT DISTINCT user_id FROM user_regions WHERE region = ANY($1::text[])', [named]);
  return rows.map((r) => r.user_id);
}

/** Every region a store or a manager names, for the admin's pickers. */
export async function knownRegions(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ region: string }>('SELECT region FROM stores WHERE region IS NOT NULL UNION SELECT region FROM user_regions ORDER BY 1');
  return rows.map((r) => r.region);
}
