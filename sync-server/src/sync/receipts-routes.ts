import { Router } from 'express';
import { mayReadStore, onReceipt, receiptNumber } from '@bazaar/shared';
import { z } from 'zod';
import { currentUser } from '../auth/require-user';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { parseOr400 } from '../http/validate';
import { OPERATION_ROW_COLUMNS, toOperationDoc, type OperationRow } from './operation-doc';

const ReceiptParams = z.object({ storeId: z.uuid(), number: z.string().max(64) });

/**
 * A sale older than a device's history (SPEC.md P7), found by its receipt's
 * number for a return against it, with the returns that already name it.
 */
export function receiptsRoutes(db: Database): Router {
  const router = Router();

  router.get('/:storeId/receipts/:number', async (req, res) => {
    const params = parseOr400(ReceiptParams, req.params, 'receipt');
    if (!mayReadStore(currentUser(res), params.storeId)) throw new AppError('forbidden', 'You do not belong to this store.');
    const number = receiptNumber(params.number);
    if (!number) throw new AppError('malformed_request', 'A receipt number has at least 8 of the digits and letters a to f printed after #.');
    // The first 8 digits are the id's first group: a range of the store's key.
    const first = number.slice(0, 8);
    const { rows } = await db.readPool.query<OperationRow>(
      `SELECT ${OPERATION_ROW_COLUMNS} FROM operations
        WHERE store_id = $1 AND id BETWEEN $2::uuid AND $3::uuid AND type = 'sale' AND status = 'applied'`,
      [params.storeId, `${first}-0000-0000-0000-000000000000`, `${first}-ffff-ffff-ffff-ffffffffffff`],
    );
    const sales = rows.filter((r) => onReceipt(r.id, number));
    if (sales.length === 0) throw new AppError('not_found', `No sale of this store has receipt #${number}.`);
    if (sales.length > 1) throw new AppError('not_found', `More than one sale of this store has receipt #${number}: type more of the id.`);
    const sale = sales[0]!;
    // The returns naming it, by the index of returns by sale (migration 0028).
    const { rows: returns } = await db.readPool.query<OperationRow>(
      `SELECT ${OPERATION_ROW_COLUMNS} FROM operations
        WHERE store_id = $1 AND type = 'return' AND payload ? 'saleId' AND payload->>'saleId' = $2 AND status = 'applied'
        ORDER BY received_at`,
      [params.storeId, sale.id],
    );
    res.json({ sale: toOperationDoc(sale), returns: returns.map(toOperationDoc) });
  });

  return router;
}
