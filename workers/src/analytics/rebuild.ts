import type pg from 'pg';
import { movementMoney, type MovementEvent } from '@bazaar/shared';
import { applyOnce, inTransaction } from '../runtime/worker';
import { analyticsWorker } from './analytics-worker';

interface LoggedMovement {
  id: string;
  event_id: string | null;
  store_id: string;
  operation_id: string;
  line_no: number;
  product_id: string;
  type: string;
  reason: string | null;
  delta: string;
  resulting_quantity: string;
  resulting_version: number;
  discrepancy: boolean;
  device_id: string;
  user_id: string;
  client_time: Date;
  server_time: Date;
  line: { unitPrice?: number; unitCost?: number; packSize?: number } | null;
  method: 'cash' | 'credit' | null;
}

/** A logged movement as the event it was published as (sync-server/src/outbox/events.ts), from the row and its operation. */
export function movementEvent(row: LoggedMovement): MovementEvent {
  const sold = row.type === 'sale' || row.type === 'return';
  return {
    // Movements from before event ids were kept get one made from the row: they were consumed long ago.
    eventId: row.event_id ?? uuidFromRowId(row.id),
    storeId: row.store_id,
    operationId: row.operation_id,
    deviceId: row.device_id,
    userId: row.user_id,
    clientTime: row.client_time.toISOString(),
    occurredAt: row.server_time.toISOString(),
    type: 'stock.moved',
    productId: row.product_id,
    operationType: row.type,
    adjustmentReason: row.reason,
    delta: Number(row.delta),
    quantity: Number(row.resulting_quantity),
    version: row.resulting_version,
    discrepancy: row.discrepancy,
    lineNo: row.line_no,
    ...(sold && row.line ? movementMoney({ unitPrice: row.line.unitPrice, packSize: row.line.packSize }) : {}),
    ...(row.type === 'purchase' && row.line ? movementMoney({ unitCost: row.line.unitCost, packSize: row.line.packSize }) : {}),
    ...(row.type === 'sale' && row.method ? { paymentMethod: row.method } : {}),
  };
}

const uuidFromRowId = (id: string) => `00000000-0000-4000-8000-${id.padStart(12, '0').slice(-12)}`;

/**
 * Rebuilds the analytics projection from the movements log (event sourcing):
 * empties its tables and its processed event ids, then folds every movement,
 * in log order, through the worker's own `apply`, in one transaction (the
 * old figures stay readable until it commits). Run it with the analytics
 * consumers stopped; events delivered afterwards that the log already held
 * are recognised by their ids and change nothing. Returns the movements read.
 */
export async function rebuildAnalytics(pool: pg.Pool, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 5000;
  return inTransaction(pool, async (tx) => {
    await tx.query(`DELETE FROM processed_events WHERE consumer = $1`, [analyticsWorker.name]);
    await tx.query('DELETE FROM report_sales');
    await tx.query('DELETE FROM report_store_hours');
    await tx.query('DELETE FROM report_store_days');
    await tx.query('DELETE FROM report_zone_hours');
    await tx.query('DELETE FROM report_zone_products');
    await tx.query('DELETE FROM report_product_holdings');
    await tx.query('DELETE FROM report_costs');
    await tx.query('DELETE FROM report_store_activity');
    let after = '0';
    let read = 0;
    for (;;) {
      const { rows } = await tx.query<LoggedMovement>(
        `SELECT m.id, m.event_id, m.store_id, m.operation_id, m.line_no, m.product_id, m.type, m.reason, m.delta,
                m.resulting_quantity, m.resulting_version, m.discrepancy, m.device_id, m.user_id, m.client_time, m.server_time,
                o.payload->'lines'->m.line_no AS line, o.payload->'payment'->>'method' AS method
           FROM movements m JOIN operations o ON o.store_id = m.store_id AND o.id = m.operation_id
          WHERE m.id > $1 ORDER BY m.id LIMIT $2`,
        [after, batch],
      );
      if (rows.length === 0) return read;
      await applyOnce(tx, analyticsWorker, rows.map(movementEvent));
      read += rows.length;
      after = rows.at(-1)!.id;
    }
  });
}
