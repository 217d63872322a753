import { createHmac } from 'node:crypto';
import type pg from 'pg';
import type { Alert } from '@bazaar/shared';
import type { Queryable } from '../runtime/worker';

/** An `alerts` row as the API shows it (`Alert`). */
export const ALERT_COLUMNS = `id, store_id AS "storeId", product_id AS "productId", kind, opened_at AS "openedAt", cleared_at AS "clearedAt", detail`;

/** What the webhook receives: `{"event": "opened"|"cleared", "alert": <Alert>}`. */
export async function queueDelivery(tx: Queryable, event: 'opened' | 'cleared', alert: Alert): Promise<void> {
  await tx.query(`INSERT INTO alert_deliveries (alert_id, event, payload) VALUES ($1, $2, $3)`, [alert.id, event, JSON.stringify({ event, alert })]);
}

export interface WebhookOptions {
  url: string;
  /** Signs each body: `x-bazaar-signature: sha256=<hex HMAC-SHA256 of the body>`. */
  secret: string;
  /** Tries before a delivery is given up (kept, with its last error). */
  maxAttempts?: number;
  timeoutMs?: number;
}

export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Seconds to wait after the n-th failed try: 2, 4, 8 ... up to an hour. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 2 ** attempts);

/**
 * Sends the deliveries that are due, oldest first. Each is leased for a
 * minute in one short statement (SKIP LOCKED, so processes share the work and
 * no connection is held while a receiver is slow; a process that dies
 * mid-send leaves the lease to run out), then sent, then its outcome saved. A
 * 2xx answer delivers it; anything else, or no answer, is tried again after a
 * back-off, and given up after `maxAttempts`. Each request names its delivery
 * (`x-bazaar-delivery`) so a receiver can drop a repeat. Returns how many
 * were delivered.
 */
export async function deliverDue(pool: Pick<pg.Pool, 'query'>, options: WebhookOptions, batch = 20): Promise<number> {
  const { rows } = await pool.query<{ id: string; payload: object; attempts: number }>(
    `UPDATE alert_deliveries SET next_attempt_at = now() + interval '1 minute'
      WHERE id IN (SELECT id FROM alert_deliveries
                    WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= now()
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, payload, attempts`,
    [batch],
  );
  let delivered = 0;
  for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
    const body = JSON.stringify(row.payload);
    let error: string | null = null;
    try {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bazaar-signature': signature(options.secret, body), 'x-bazaar-delivery': row.id },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!res.ok) error = `answered ${res.status}`;
    } catch (err) {
      error = String(err);
    }
    const attempts = row.attempts + 1;
    if (error === null) {
      delivered++;
      await pool.query('UPDATE alert_deliveries SET attempts = $2, delivered_at = now(), last_error = NULL WHERE id = $1', [row.id, attempts]);
    } else {
      await pool.query(
        `UPDATE alert_deliveries SET attempts = $2::int, last_error = $3, next_attempt_at = now() + make_interval(secs => $4::int),
                given_up_at = CASE WHEN $2::int >= $5::int THEN now() END WHERE id = $1`,
        [row.id, attempts, error.slice(0, 500), backoffSeconds(attempts), options.maxAttempts ?? 10],
      );
    }
  }
  return delivered;
}

/** Delivers every `everyMs` until stopped; failures are the deliveries' own (kept with their error). */
export function startDeliveries(pool: Pick<pg.Pool, 'query'>, options: WebhookOptions, log: (msg: string, fields?: object) => void, everyMs = 2000): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    if (stopped) return;
    try {
      while (!stopped && (await deliverDue(pool, options)) > 0);
    } catch (err) {
      log('alert webhook deliveries failed', { error: String(err) });
    }
    if (!stopped) timer = setTimeout(() => void loop(), everyMs);
  };
  void loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
