import { Router, type RequestHandler } from 'express';
import { parse } from 'csv-parse/sync';
import {
  CATALOG_CSV_COLUMNS,
  CatalogImportRequest,
  CatalogListQuery,
  CreateProductRequest,
  ProductVersionRequest,
  UpdateProductRequest,
  type CatalogProduct,
  isAdmin,
  readCatalogRows,
  toCsv,
  type CatalogImportReport,
} from '@bazaar/shared';
import { audit } from '../auth/users-repository';
import { catalogRows, clashingProduct, findCatalogProduct, importCatalog, listCatalog, setRetired, updateProduct } from './catalog-repository';
import { currentUser } from '../auth/require-user';
import type { Database, Queryable } from '../db/database';
import type { ChangeBus } from '../live/change-bus';
import { AppError } from '../http/errors';
import { parseOr400, validateBody, validateQuery } from '../http/validate';
import { z } from 'zod';

const ProductParams = z.object({ productId: z.uuid() });

// Checked before the body is validated: a non-admin learns nothing about the schema.
const adminsOnly: RequestHandler = (_req, res, next) => {
  if (!isAdmin(currentUser(res))) throw new AppError('forbidden', 'Only admins change the central catalog.');
  next();
};

/**
 * The central catalog; devices receive it through the products pull, nudged
 * by a `products` change on every stream (SPEC.md S1), since every store
 * sells from it.
 */
export function catalogRoutes(db: Database, bus: ChangeBus, log: (msg: string, err?: unknown) => void): Router {
  const router = Router();
  const announce = () => bus.publish({ storeId: null, collections: ['products'] }).catch((err) => log('change bus publish failed', err));

  router.post('/products', adminsOnly, validateBody(CreateProductRequest), async (req, res) => {
    const p: CreateProductRequest = res.locals.body;
    const id = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO products (sku, barcode, name_en, name_ur, category, unit, pack_size, default_price)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
        [p.sku, p.barcode ?? null, p.nameEn, p.nameUr, p.category, p.unit, p.packSize, p.defaultPrice],
      );
      if (rows.length === 0) throw new AppError('malformed_request', 'A product with this SKU or barcode exists already.');
      await audit(tx, { actorId: currentUser(res).id, action: 'product.created', ip: req.ip, details: { productId: rows[0]!.id, sku: p.sku } });
      return rows[0]!.id;
    });
    res.status(201).json({ id, ...p });
    announce();
  });

  // The admin's own list: read from the primary, so an edit just made is in it.
  router.get('/products', adminsOnly, validateQuery(CatalogListQuery), async (_req, res) => {
    res.json(await listCatalog(db.pool, res.locals.query));
  });

  /**
   * One change of one product, made against the version the admin read (else
   * 409 with the product as it is now), audited with what it was before.
   */
  const change = (action: string, apply: (tx: Queryable, before: CatalogProduct, body: { version: number }) => Promise<CatalogProduct>): RequestHandler =>
    async (req, res) => {
      const { productId } = parseOr400(ProductParams, req.params, 'product id');
      const body: { version: number } = res.locals.body;
      const after = await db.transaction(async (tx) => {
        const before = await findCatalogProduct(tx, productId, true);
        if (!before) throw new AppError('not_found', 'No such product in the catalog.');
        if (before.version !== body.version) {
          throw new AppError('conflict', `${before.nameEn} was changed by someone else since you opened it: look at it again before changing it.`, { current: before });
        }
        const changed = await apply(tx, before, body);
        await audit(tx, { actorId: currentUser(res).id, action, ip: req.ip, details: { productId, before, after: changed } });
        return changed;
      });
      res.json(after);
      announce();
    };

  router.put(
    '/products/:productId',
    adminsOnly,
    validateBody(UpdateProductRequest),
    change('product.updated', async (tx, before, body) => {
      const { version: _version, ...edit } = body as UpdateProductRequest;
      const clash = await clashingProduct(tx, before.id, edit);
      if (clash) throw new AppError('malformed_request', clash.clash === 'sku' ? `The SKU ${edit.sku} belongs to another product.` : `The barcode ${edit.barcode} belongs to ${clash.sku}.`);
      return updateProduct(tx, before.id, edit);
    }),
  );
  // Retired products stay in every history and report; devices stop offering them for sale.
  router.post('/products/:productId/retire', adminsOnly, validateBody(ProductVersionRequest), change('product.retired', (tx, before) => setRetired(tx, before.id, true)));
  router.post('/products/:productId/restore', adminsOnly, validateBody(ProductVersionRequest), change('product.restored', (tx, before) => setRetired(tx, before.id, false)));

  /**
   * The catalog as CSV: every acceptable row applied in one transaction (or
   * none, should the database fail), the others reported with why. Devices
   * pull the changes like any other (nudged on every stream).
   */
  router.post('/import', adminsOnly, validateBody(CatalogImportRequest), async (req, res) => {
    const { csv, dryRun }: CatalogImportRequest = res.locals.body;
    let records: string[][];
    try {
      records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
    } catch (err) {
      throw new AppError('malformed_request', `The file is not CSV that can be read: ${(err as Error).message}`);
    }
    const [header, ...body] = records;
    if (!header) throw new AppError('malformed_request', `The file is empty: it needs a header row (${CATALOG_CSV_COLUMNS.join(',')}).`);
    const read = readCatalogRows(header, body);
    if (read.fileProblems.length > 0) throw new AppError('malformed_request', `The header row does not fit the catalog: ${read.fileProblems.join('; ')}.`);
    const result = await db.transaction(async (tx) => {
      const applied = await importCatalog(tx, read.rows, !dryRun);
      if (!dryRun) {
        await audit(tx, {
          actorId: currentUser(res).id,
          action: 'catalog.imported',
          ip: req.ip,
          details: { rows: body.length, created: applied.created, updated: applied.updated, refused: read.refused.length + applied.refused.length },
        });
      }
      return applied;
    });
    const report: CatalogImportReport = {
      rows: body.length,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      refused: [...read.refused, ...result.refused].sort((a, b) => a.line - b.line),
      applied: !dryRun,
    };
    res.json(report);
    if (!dryRun && result.created + result.updated > 0) announce();
  });

  router.get('/export', adminsOnly, async (_req, res) => {
    const csv = toCsv(CATALOG_CSV_COLUMNS, await catalogRows(db.readPool));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="catalog-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.send(csv);
  });
  return router;
}
