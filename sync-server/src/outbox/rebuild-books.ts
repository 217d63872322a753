import type pg from 'pg';
import type { Operation, StoreProductState } from '@bazaar/shared';
import { applyOnce, inTransaction, workers } from '@bazaar/workers';
import { eventsFor } from './events';

/** The operations the books are made of (the books worker's topics: sales and purchases). */
const BOOK_TYPES = ['sale', 'return', 'purchase', 'supplier_payment'];

/**
 * Rebuilds the books (sales, purchases, payments to suppliers and their
 * lines) from the log: they are the books worker's projection of the events
 * the relay derives from each applied operation (docs/EVENTS.md), so the log
 * alone makes them again. Empties them and the worker's processed event ids,
 * then folds every applied operation of those kinds, as the relay would
 * derive its events, through the worker's own `apply`, in one transaction
 * (the old books stay readable until it commits). Operations pushed before
 * the log was the outbox are read too. Stop the books consumers first;
 * events delivered afterwards are recognised by their ids. Returns the
 * operations read.
 */
export async function rebuildBooks(pool: Pick<pg.Pool, 'connect'>, options: { batch?: number } = {}): Promise<number> {
  const books = workers.books!;
  const batch = options.batch ?? 2000;
  return inTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM processed_events WHERE consumer = $1', [books.name]);
    for (const table of ['sale_lines', 'sales', 'purchase_lines', 'purchases', 'supplier_payments']) await tx.query(`DELETE FROM ${table}`);
    let after = ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'];
    let read = 0;
    for (;;) {
      // Each book row stands for one operation, whatever the order: read by key.
      const { rows } = await tx.query<{ store_id: string; id: string; payload: Operation; user_id: string; received_at: Date; effect: StoreProductState | null }>(
        `SELECT store_id, id, payload, user_id, received_at, effect FROM operations
          WHERE (store_id, id) > ($1::uuid, $2::uuid) AND status = 'applied' AND type = ANY($3)
          ORDER BY store_id, id LIMIT $4`,
        [after[0], after[1], BOOK_TYPES, batch],
      );
      if (rows.length === 0) return read;
      const events = rows.flatMap((r) =>
        eventsFor({ operation: r.payload, status: 'applied', reason: null, message: null, effect: r.effect, userId: r.user_id, receivedAt: r.received_at.toISOString(), movements: [] })
          .filter((e) => books.topics.includes(e.topic))
          .map((e) => books.parse(e.topic, e.event)),
      );
      await applyOnce(tx, books, events);
      read += rows.length;
      const last = rows.at(-1)!;
      after = [last.store_id, last.id];
    }
  });
}
