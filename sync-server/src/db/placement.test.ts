import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/services';
import { migrate } from './migrate';
import { coordinatorTables, distributedByStore, referenceTables } from './placement';
import { pushTableNames } from '../sync/push-repository';

// The schema as migrated, against the placement a store-sharded cluster would give it.
let database: TestDatabase;
let sql: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(sql);
});
afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

const placed = new Map<string, string>([
  ...distributedByStore.map((t) => [t, 'distributed'] as const),
  ...referenceTables.map((t) => [t, 'reference'] as const),
  ...coordinatorTables.map((t) => [t, 'coordinator'] as const),
]);

describe('placement by store', () => {
  it('places every table once, and every table a push writes by its store', async () => {
    const { rows } = await sql.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1`);
    expect(rows.map((r) => r.name)).toEqual([...placed.keys()].sort());
    expect(placed.size).toBe(distributedByStore.length + referenceTables.length + coordinatorTables.length);
    expect(pushTableNames.filter((t) => placed.get(t) !== 'distributed')).toEqual([]);
  });

  it('keys a distributed table by store first, and holds store_id in each of its unique indexes', async () => {
    const { rows } = await sql.query<{ table: string; index: string; primary: boolean; first: string | null; has_store: boolean }>(
      `SELECT c.relname AS table, i.relname AS index, x.indisprimary AS primary,
              (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = x.indkey[0]) AS first,
              EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'store_id' AND a.attnum = ANY (x.indkey)) AS has_store
         FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indisunique AND c.relname = ANY($1)`,
      [distributedByStore],
    );
    const keyed = rows.filter((r) => r.primary && r.first === 'store_id').map((r) => r.table);
    expect(distributedByStore.filter((t) => !keyed.includes(t))).toEqual([]);
    expect(rows.filter((r) => !r.has_store).map((r) => r.index)).toEqual([]);
  });

  it('points keys only where a sharded cluster can follow them: into reference tables, or within a store', async () => {
    const { rows } = await sql.query<{ child: string; parent: string; columns: string[] }>(
      `SELECT k.conrelid::regclass::text AS child, k.confrelid::regclass::text AS parent,
              array(SELECT attname FROM pg_attribute WHERE attrelid = k.conrelid AND attnum = ANY (k.conkey)) AS columns
         FROM pg_constraint k WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`,
    );
    const wrong = rows.filter(({ child, parent, columns }) => {
      const to = placed.get(parent);
      if (to === 'reference') return false;
      return !(to === 'distributed' && placed.get(child) === 'distributed' && columns.includes('store_id'));
    });
    expect(wrong).toEqual([]);
  });
});
