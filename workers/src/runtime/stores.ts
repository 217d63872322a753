import type { Queryable } from './worker';

/** A store's zone when it has none (migration 0008's default). */
export const DEFAULT_TIME_ZONE = 'Asia/Karachi';

/** The stores' time zones: their local days are the reports' days. */
export async function storeTimeZones(tx: Queryable, storeIds: readonly string[]): Promise<(storeId: string) => string> {
  const { rows } = await tx.query<{ id: string; time_zone: string }>('SELECT id, time_zone FROM stores WHERE id = ANY($1::uuid[])', [storeIds]);
  const zones = new Map(rows.map((r) => [r.id, r.time_zone]));
  return (storeId) => zones.get(storeId) ?? DEFAULT_TIME_ZONE;
}
