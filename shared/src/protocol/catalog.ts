import { z } from 'zod';
import { listOf, pageQuery, text, TimeZone } from './fields';
import { ProductDoc } from './sync';

const price = z.number().nonnegative().max(1e9).refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimals');

/** An admin adds a product to the central catalog. */
export const CreateProductRequest = z.strictObject({
  sku: text(64).trim().min(1),
  barcode: z.string().trim().regex(/^\d{8,14}$/, '8 to 14 digits').optional(),
  nameEn: text(200).trim().min(1),
  nameUr: text(200).trim().min(1),
  category: text(64).trim().min(1),
  unit: z.enum(['piece', 'kg', 'litre', 'dozen', 'pack']),
  packSize: z.number().int().positive().max(10_000).default(1),
  defaultPrice: price,
});
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;

/**
 * `PUT /api/catalog/products/{id}`: every field of the product as it should
 * be, with the version it was read at. An edit made against an older version
 * is refused (409) rather than overwriting someone else's change.
 */
export const UpdateProductRequest = CreateProductRequest.extend({ version: z.number().int().positive() });
export type UpdateProductRequest = z.infer<typeof UpdateProductRequest>;

/** `POST /api/catalog/products/{id}/retire` and `/restore`: the version read. */
export const ProductVersionRequest = z.strictObject({ version: z.number().int().positive() });
export type ProductVersionRequest = z.infer<typeof ProductVersionRequest>;

export const CatalogListQuery = z.strictObject({
  /** Part of a name (English or Urdu), SKU or barcode. */
  q: text(80).trim().min(1).optional(),
  status: z.enum(['active', 'retired', 'all']).default('active'),
  ...pageQuery,
});
export type CatalogListQuery = z.infer<typeof CatalogListQuery>;

/** A product as the admin's catalog lists it: as devices pull it, with when it was retired. */
export const CatalogProduct = ProductDoc.omit({ retired: true, _deleted: true }).extend({
  /** When it was retired: no longer offered for sale, its history kept. */
  retiredAt: z.string().nullable(),
});
export type CatalogProduct = z.infer<typeof CatalogProduct>;

export const CatalogList = listOf(CatalogProduct);
export type CatalogList = z.infer<typeof CatalogList>;

export const CreateStoreRequest = z.strictObject({
  name: text(120).trim().min(1),
  city: text(80).trim().optional(),
  /** A province or sales area: dashboards filter by it. */
  region: text(80).trim().min(1).optional(),
  /** Asia/Karachi when not given. */
  timeZone: TimeZone.optional(),
});
export type CreateStoreRequest = z.infer<typeof CreateStoreRequest>;

/** The catalog's CSV columns, in this order (export writes them, import reads them by name). */
export const CATALOG_CSV_COLUMNS = ['sku', 'barcode', 'name_en', 'name_ur', 'category', 'unit', 'pack_size', 'default_price'] as const;

/**
 * `POST /api/catalog/import`: the catalog as CSV text with a header row.
 * Rows are matched by SKU: a new SKU is added, a known one updated (its
 * version goes up) when something changed. Every acceptable row is applied
 * in one transaction, or none is; rows refused are reported with why.
 * `dryRun` reports without writing.
 */
export const CatalogImportRequest = z.strictObject({
  csv: z.string().min(1),
  dryRun: z.boolean().default(false),
});
export type CatalogImportRequest = z.infer<typeof CatalogImportRequest>;

export const RefusedRow = z.strictObject({
  /** The line of the file (the header is line 1). */
  line: z.number().int(),
  sku: z.string().nullable(),
  problems: z.array(z.string()),
});
export type RefusedRow = z.infer<typeof RefusedRow>;

export const CatalogImportReport = z.strictObject({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  refused: z.array(RefusedRow),
  /** Whether the accepted rows were written (false for a dry run). */
  applied: z.boolean(),
});
export type CatalogImportReport = z.infer<typeof CatalogImportReport>;
