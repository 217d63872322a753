import type { CatalogList, CatalogListQuery, CatalogProduct, CreateProductRequest, ImportRow, RefusedRow } from '@bazaar/shared';
import type { Queryable } from '../db/database';
import { containing } from '../db/search';

interface ExistingProduct {
  id: string;
  sku: string;
  barcode: string | null;
  name_en: string;
  name_ur: string;
  category: string;
  unit: string;
  pack_size: number;
  default_price: number;
}

const same = (p: CreateProductRequest, e: ExistingProduct) =>
  (p.barcode ?? null) === e.barcode && p.nameEn === e.name_en && p.nameUr === e.name_ur && p.category === e.category && p.unit === e.unit && p.packSize === e.pack_size && p.defaultPrice === e.default_price;

/**
 * Applies a catalog file's accepted rows in the caller's transaction: a new
 * SKU is inserted, a known one updated (version + 1) when a field changed.
 * A row whose barcode another product holds is refused here, not by the
 * database, so the rest still apply. The products' rows are locked first,
 * so two imports of the same SKUs take turns.
 */
export async function importCatalog(tx: Queryable, rows: readonly ImportRow[], write: boolean): Promise<{ created: number; updated: number; unchanged: number; refused: RefusedRow[] }> {
  const skus = rows.map((r) => r.product.sku);
  const barcodes = rows.flatMap((r) => (r.product.barcode ? [r.product.barcode] : []));
  const { rows: existing } = await tx.query<ExistingProduct>(
    `SELECT id, sku, barcode, name_en, name_ur, category, unit, pack_size, default_price::float8 AS default_price
       FROM products WHERE sku = ANY($1::text[]) OR barcode = ANY($2::text[]) ORDER BY id FOR UPDATE`,
    [skus, barcodes],
  );
  const bySku = new Map(existing.map((e) => [e.sku, e]));
  const byBarcode = new Map(existing.flatMap((e) => (e.barcode ? [[e.barcode, e] as const] : [])));
  const refused: RefusedRow[] = [];
  const inserts: CreateProductRequest[] = [];
  const updates: { id: string; product: CreateProductRequest }[] = [];
  let unchanged = 0;
  for (const { line, product } of rows) {
    const holder = product.barcode ? byBarcode.get(product.barcode) : undefined;
    if (holder && holder.sku !== product.sku) {
      refused.push({ line, sku: product.sku, problems: [`barcode: ${product.barcode} belongs to ${holder.sku}`] });
      continue;
    }
    const known = bySku.get(product.sku);
    if (!known) inserts.push(product);
    else if (same(product, known)) unchanged++;
    else updates.push({ id: known.id, product });
  }
  if (write && inserts.length > 0) {
    await tx.query(
      `INSERT INTO products (sku, barcode, name_en, name_ur, category, unit, pack_size, default_price)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::numeric[])`,
      columns(inserts),
    );
  }
  if (write && updates.length > 0) {
    const [sku, barcode, nameEn, nameUr, category, unit, packSize, price] = columns(updates.map((u) => u.product));
    await tx.query(
      `UPDATE products p SET barcode = u.barcode, name_en = u.name_en, name_ur = u.name_ur, category = u.category, unit = u.unit,
              pack_size = u.pack_size, default_price = u.default_price, version = p.version + 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::numeric[])
              AS u(id, sku, barcode, name_en, name_ur, category, unit, pack_size, default_price)
        WHERE p.id = u.id`,
      [updates.map((u) => u.id), sku, barcode, nameEn, nameUr, category, unit, packSize, price],
    );
  }
  return { created: inserts.length, updated: updates.length, unchanged, refused };
}

const columns = (products: readonly CreateProductRequest[]) => [
  products.map((p) => p.sku),
  products.map((p) => p.barcode ?? null),
  products.map((p) => p.nameEn),
  products.map((p) => p.nameUr),
  products.map((p) => p.category),
  products.map((p) => p.unit),
  products.map((p) => p.packSize),
  products.map((p) => p.defaultPrice),
];

/** The catalog on sale, for the CSV export, in SKU order: retired products are left out (the list shows them). */
export async function catalogRows(db: Queryable): Promise<(string | number | null)[][]> {
  const { rows } = await db.query<ExistingProduct>(
    `SELECT sku, barcode, name_en, name_ur, category, unit, pack_size, default_price::float8 AS default_price FROM products WHERE NOT deleted AND retired_at IS NULL ORDER BY sku`,
  );
  return rows.map((r) => [r.sku, r.barcode, r.name_en, r.name_ur, r.category, r.unit, r.pack_size, r.default_price]);
}

interface CatalogProductRow {
  id: string;
  sku: string;
  barcode: string | null;
  nameEn: string;
  nameUr: string;
  category: string;
  unit: string;
  packSize: number;
  defaultPrice: number;
  version: number;
  retiredAt: Date | null;
  updatedAt: Date;
}

const PRODUCT_COLUMNS = `id, sku, barcode, name_en AS "nameEn", name_ur AS "nameUr", category, unit, pack_size AS "packSize",
  default_price::float8 AS "defaultPrice", version, retired_at AS "retiredAt", updated_at AS "updatedAt"`;

const toCatalogProduct = (r: CatalogProductRow): CatalogProduct => ({ ...r, retiredAt: r.retiredAt?.toISOString() ?? null, updatedAt: r.updatedAt.toISOString() });

/** A page of the catalog in SKU order, searched by SKU, barcode or either name. */
export async function listCatalog(db: Queryable, query: CatalogListQuery): Promise<CatalogList> {
  const status = { active: 'retired_at IS NULL', retired: 'retired_at IS NOT NULL', all: 'true' }[query.status];
  const { rows } = await db.query<CatalogProductRow & { total: string }>(
    `SELECT ${PRODUCT_COLUMNS}, count(*) OVER () AS total FROM products
      WHERE NOT deleted AND ${status}
        AND ($1::text IS NULL OR sku ILIKE $1 OR barcode LIKE $1 OR name_en ILIKE $1 OR name_ur LIKE $1)
      ORDER BY sku LIMIT $2 OFFSET $3`,
    [containing(query.q), query.pageSize, (query.page - 1) * query.pageSize],
  );
  return { rows: rows.map(({ total: _total, ...r }) => toCatalogProduct(r)), total: Number(rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function findCatalogProduct(db: Queryable, id: string, lock = false): Promise<CatalogProduct | null> {
  const { rows } = await db.query<CatalogProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1 AND NOT deleted${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toCatalogProduct(rows[0]) : null;
}

/** Writes an edit of a product locked by the caller; its version goes up. */
export async function updateProduct(tx: Queryable, id: string, p: CreateProductRequest): Promise<CatalogProduct> {
  const { rows } = await tx.query<CatalogProductRow>(
    `UPDATE products SET sku = $2, barcode = $3, name_en = $4, name_ur = $5, category = $6, unit = $7, pack_size = $8, default_price = $9, version = version + 1
      WHERE id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, p.sku, p.barcode ?? null, p.nameEn, p.nameUr, p.category, p.unit, p.packSize, p.defaultPrice],
  );
  return toCatalogProduct(rows[0]!);
}

/** Retires a product locked by the caller, or brings it back; its version goes up either way. */
export async function setRetired(tx: Queryable, id: string, retired: boolean): Promise<CatalogProduct> {
  const { rows } = await tx.query<CatalogProductRow>(
    `UPDATE products SET retired_at = CASE WHEN $2 THEN now() END, version = version + 1 WHERE id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, retired],
  );
  return toCatalogProduct(rows[0]!);
}

/** Another product holding this SKU or barcode, if any. */
export async function clashingProduct(db: Queryable, id: string, p: Pick<CreateProductRequest, 'sku' | 'barcode'>): Promise<{ sku: string; clash: 'sku' | 'barcode' } | null> {
  const { rows } = await db.query<{ sku: string; same_sku: boolean }>(
    'SELECT sku, sku = $2 AS same_sku FROM products WHERE id <> $1 AND (sku = $2 OR barcode = $3) LIMIT 1',
    [id, p.sku, p.barcode ?? null],
  );
  return rows[0] ? { sku: rows[0].sku, clash: rows[0].same_sku ? 'sku' : 'barcode' } : null;
}
