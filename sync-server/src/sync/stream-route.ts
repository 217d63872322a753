import type { RequestHandler } from 'express';
import { isReportsChange, mayReadStore, type SessionUser } from '@bazaar/shared';
import { currentUser } from '../auth/require-user';
import type { RevocationStore } from '../auth/revocation';
import type { ChangeBus } from '../live/change-bus';
import { AppError } from '../http/errors';

const HEARTBEAT_MS = 25_000;

/**
 * Open streams allowed at once, counted by this server instance (a stream is
 * a socket this process holds, so that is where it costs). Only the leading
 * tab of a device streams, so one session needs one, two while leadership
 * moves between tabs; a user signs in on a few devices.
 */
export const STREAM_LIMITS = { perSession: 3, perUser: 10 } as const;
const REFUSED_RETRY_S = 30;
const REPORTS_EVERY_MS = 1_000;

/** mayReadReports, asked per announced store: by a Set, as a manager may have a thousand. */
function reportsReader(user: SessionUser): (storeId: string) => boolean {
  if (user.role === 'shopkeeper') return () => false;
  if (user.role === 'admin') return () => true;
  const mine = new Set(user.storeIds);
  return (storeId) => mine.has(storeId);
}

/** Counts open streams by key; `take` refuses once a key holds `limit`. */
class Slots {
  private readonly open = new Map<string, number>();
  holds(key: string, limit: number): boolean {
    return (this.open.get(key) ?? 0) >= limit;
  }
  take(key: string): () => void {
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}

/**
 * GET /api/sync/stream: Server-Sent Events. On connect it sends `RESYNC`
 * (the client pulls what it missed while disconnected); afterwards a
 * `change` event names the collections of the caller's stores that changed.
 * Events carry no documents: the client pulls them with its checkpoint, so a
 * missed event costs a pull, never data. Dashboards (owners, managers,
 * admins) are also sent `reports` when the workers changed figures of a store
 * they may read, at most once a second: they refetch what they show.
 *
 * Beyond STREAM_LIMITS a new stream is refused with 429 and Retry-After (the
 * streams already open keep going): closing the oldest instead would make a
 * browser that reconnects by itself close the next one, round and round.
 */
export function streamRoute(bus: ChangeBus, revocations: RevocationStore, shutdown: AbortSignal): RequestHandler {
  const slots = new Slots();
  return (req, res) => {
    const user = currentUser(res);
    const sessionKey = `session:${user.sessionId}`;
    const userKey = `user:${user.id}`;
    if (slots.holds(sessionKey, STREAM_LIMITS.perSession) || slots.holds(userKey, STREAM_LIMITS.perUser)) {
      res.setHeader('retry-after', String(REFUSED_RETRY_S));
      throw new AppError('rate_limited', 'Too many live connections for this sign-in; close another tab or device, or wait.', {
        retryAfterSeconds: REFUSED_RETRY_S,
      });
    }
    const releases = [slots.take(sessionKey), slots.take(userKey)];
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    res.write('event: resync\ndata: "RESYNC"\n\n');
    const reportsOf = reportsReader(user);
    let reportsDue: NodeJS.Timeout | null = null;
    const unsubscribe = bus.subscribe((message) => {
      if (isReportsChange(message)) {
        if (reportsDue || !message.reports.some(reportsOf)) return;
        // At most one a second: a busy region's workers commit many batches a second, and each is a refetch.
        reportsDue = setTimeout(() => {
          reportsDue = null;
          res.write('event: reports\ndata: {}\n\n');
        }, REPORTS_EVERY_MS);
        return;
      }
      if (message.storeId !== null && !mayReadStore(user, message.storeId)) return;
      res.write(`event: change\ndata: ${JSON.stringify(message)}\n\n`);
    });
    // A stream lives no longer than its token, and ends soon after the token is revoked.
    const expiry = setTimeout(() => res.end(), Math.max(0, user.expiresAt * 1000 - Date.now()));
    const heartbeat = setInterval(async () => {
      const revoked = await revocations.isRevoked(user).catch(() => true);
      if (revoked) res.end();
      else res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    const end = () => res.end();
    shutdown.addEventListener('abort', end, { once: true });
    req.on('close', () => {
      shutdown.removeEventListener('abort', end);
      clearTimeout(expiry);
      clearInterval(heartbeat);
      if (reportsDue) clearTimeout(reportsDue);
      unsubscribe();
      for (const release of releases) release();
    });
  };
}
