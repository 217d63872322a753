import { Router } from 'express';
import { mayReadStore, type SyncSize } from '@bazaar/shared';
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

  return router;
}
