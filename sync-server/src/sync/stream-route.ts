import type { RequestHandler } from 'express';
import { mayReadStore } from '@bazaar/shared';
import { currentUser } from '../auth/require-user';
import type { RevocationStore } from '../auth/revocation';
import type { ChangeBus } from '../live/change-bus';

const HEARTBEAT_MS = 25_000;

/**
 * GET /api/sync/stream: Server-Sent Events. On connect it sends `RESYNC`
 * (the client pulls what it missed while disconnected); afterwards a
 * `change` event names the collections of the caller's stores that changed.
 * Events carry no documents: the client pulls them with its checkpoint, so a
 * missed event costs a pull, never data.
 */
export function streamRoute(bus: ChangeBus, revocations: RevocationStore, shutdown: AbortSignal): RequestHandler {
  return (req, res) => {
    const user = currentUser(res);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    res.write('event: resync\ndata: "RESYNC"\n\n');
    const unsubscribe = bus.subscribe((change) => {
      if (change.storeId !== null && !mayReadStore(user, change.storeId)) return;
      res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
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
      unsubscribe();
    });
  };
}
