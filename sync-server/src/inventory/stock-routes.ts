import { Router } from 'express';
import { mayReadReports, mayReadStore, SupplierList, type SyncSize } from '@bazaar/shared';
import { z } from 'zod';
import { currentUser } from '../auth/require-user';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400 } from '../http/validate';

const StoreParams = z.object({ storeId: z.uuid() });

export function stockRoutes(db: Database): Router {
  const router = Router();

  /** Every active product of the store with its quantity (0 if never moved) and the store's own state. */
  router.get('/:storeId/stock', async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    if (!mayReadStore(currentUser(res), storeId)) throw new AppError('forbidden', 'You do not belong to this store.');
    const { rows: store } = await db.readPool.query('SELECT id, name FROM stores WHERE id = $1', [storeId]);
    if (store.length === 0) throw new AppError('not_found', 'No such store.');
    const { rows } = await db.readPool.query(
      `SELECT p.id AS "productId", p.sku, p.name_en AS "nameEn", p.name_ur AS "nameUr", p.unit,
              coalesce(s.quantity, 0)::float8 AS quantity, coalesce(s.version, 0) AS version,
              coalesce(sp.price, p.default_price)::float8 AS price, sp.reorder_level::float8 AS "reorderLevel",
              coalesce(s.quantity, 0) <= coalesce(sp.reorder_level, 0) AS low
         FROM products p
         LEFT JOIN stock s ON s.product_id = p.id AND s.store_id = $1
         LEFT JOIN store_products sp ON sp.product_id = p.id AND sp.store_id = $1
        WHERE NOT p.deleted AND coalesce(sp.active, true)
        ORDER BY low DESC, p.name_en`,
      [storeId],
    );
    res.json({ storeId, items: rows });
  });

  /** What a first sync of the store receives, for the device's progress (SyncSize). */
  router.get('/:storeId/sync-size', async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    if (!mayReadStore(currentUser(res), storeId)) throw new AppError('forbidden', 'You do not belong to this store.');
    const { rows } = await db.readPool.query<{ products: number; stock: number }>(
      `SELECT (SELECT count(*) FROM products WHERE NOT deleted)::int AS products,
              -- Only stock a device shows: of products it keeps.
              (SELECT count(*) FROM stock s JOIN products p ON p.id = s.product_id WHERE s.store_id = $1 AND NOT p.deleted)::int AS stock`,
      [storeId],
    );
    const size: SyncSize = rows[0]!;
    res.json(size);
  });

  /** The store's suppliers, most owed first (SPEC.md S3): for those who read its reports. */
  router.get('/:storeId/suppliers', async (req, res) => {
    const { storeId } = parseOr400(StoreParams, req.params, 'store id');
    if (!mayReadReports(currentUser(res), storeId)) throw new AppError('forbidden', 'Only the store’s owner, its managers and admins read its suppliers.');
    const { rows } = await db.readPool.query(
      `WITH owed AS (
         SELECT supplier_key AS key, count(*)::int AS purchases, max(client_time) AS last_at,
                coalesce(sum(round(total * 100)) FILTER (WHERE paid = 'owed'), 0)::bigint AS owed_paisa
           FROM purchases WHERE store_id = $1 AND supplier_key IS NOT NULL GROUP BY 1
       ), paid AS (
         SELECT supplier_key AS key, sum(amount_paisa)::bigint AS paid_paisa, max(client_time) AS last_at
           FROM supplier_payments WHERE store_id = $1 GROUP BY 1
       )
       SELECT s.key, s.name, s.phone, s.note,
              (coalesce(o.owed_paisa, 0) - coalesce(p.paid_paisa, 0))::float8 AS "owedPaisa",
              coalesce(o.purchases, 0) AS purchases,
              to_char(greatest(s.named_at, o.last_at, p.last_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastAt"
         FROM suppliers s LEFT JOIN owed o USING (key) LEFT JOIN paid p USING (key)
        WHERE s.store_id = $1
        ORDER BY 5 DESC, 7 DESC`,
      [storeId],
    );
    res.json(SupplierList.parse({ storeId, suppliers: rows }));
  });

  return router;
}
