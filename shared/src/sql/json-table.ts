/**
 * One definition per table a statement writes from JSON: its columns and their
 * PostgreSQL types. From it come both the TypeScript type of a row (`RowOf`)
 * and the SQL that inserts an array of such rows (`jsonInsert`), so a column
 * cannot be renamed or retyped in one and forgotten in the other. The push
 * (sync-server) and the workers' projections write this way; it is imported
 * as `@bazaar/shared/sql`, which the PWA never does.
 */
type SqlType = 'uuid' | 'text' | 'int' | 'bigint' | 'numeric' | 'boolean' | 'jsonb' | 'timestamptz' | 'date';
/** A column's type; `?` after it means the column takes NULL. */
export type ColumnType = SqlType | `${SqlType}?`;

type ValueOf<T extends SqlType> = T extends 'uuid' | 'text' | 'date'
  ? string
  : T extends 'int' | 'bigint' | 'numeric'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'timestamptz'
        ? string | Date
        : unknown;

export type RowOf<C extends Record<string, ColumnType>> = {
  [K in keyof C]: C[K] extends `${infer T extends SqlType}?` ? ValueOf<T> | null : C[K] extends SqlType ? ValueOf<C[K]> : never;
};

export interface JsonTable<C extends Record<string, ColumnType>> {
  table: string;
  columns: C;
  /**
   * Columns whose JSON value is in thousandths (an integer, exact) and is
   * stored as a decimal: `quantity: 1500` is written as 1.5.
   */
  milli?: readonly (keyof C & string)[];
  /** What follows `ON CONFLICT`, when a row may already be there. */
  onConflict?: string;
}

/** Any table's definition, its columns no longer known by name. */
type AnyJsonTable = Omit<JsonTable<Record<string, ColumnType>>, 'milli'> & { milli?: readonly string[] };

export const jsonTable = <C extends Record<string, ColumnType>>(definition: JsonTable<C>): JsonTable<C> => definition;

/**
 * `INSERT INTO <table> (...) SELECT ... FROM jsonb_to_recordset(<source>)`:
 * `source` is a jsonb expression holding the array of rows.
 */
export function jsonInsert(definition: AnyJsonTable, source: string): string {
  const columns: Record<string, ColumnType> = definition.columns;
  const names = Object.keys(columns);
  const milli = new Set<string>(definition.milli ?? []);
  const record = names
    .map((name) => `${name} ${milli.has(name) ? 'bigint' : columns[name]!.replace('?', '')}`)
    .join(', ');
  const values = names.map((name) => (milli.has(name) ? `r.${name} / 1000.0` : `r.${name}`)).join(', ');
  return [
    `INSERT INTO ${definition.table} (${names.join(', ')})`,
    `SELECT ${values} FROM jsonb_to_recordset(${source}) AS r(${record})`,
    definition.onConflict ? `ON CONFLICT ${definition.onConflict}` : '',
  ]
    .filter(Boolean)
    .join('\n       ');
}
