import pg from 'pg';

/**
 * The name the workers' database sessions go by. Pulls hold back rows
 * written after the oldest transaction still writing (SPEC.md P3); the
 * workers write only their own tables, which no device pulls, so the server
 * leaves sessions of this name out of that horizon, and a worker's batch
 * never delays a device's pull.
 */
export const PROJECTION_APPLICATION_NAME = 'bazaar-projection';

/** A pool for workers: sessions named PROJECTION_APPLICATION_NAME. They must never write a pulled table. */
export function projectionPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: PROJECTION_APPLICATION_NAME });
  // A connection error (PostgreSQL restarted) must not crash a worker, idle or
  // checked out between queries: the next query fails, and the batch is retried.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
