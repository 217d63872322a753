import { Redis } from 'ioredis';
import { CHANGE_CHANNEL } from '@bazaar/shared';
import type { Announce } from './worker';

/**
 * A worker process tells the servers' event streams what it changed by
 * publishing on their change channel (sync-server/src/live/change-bus.ts).
 * Best effort, like the servers' own nudges: with Redis away a device misses
 * a nudge and gets the change at its next pull, never loses it.
 */
export function redisAnnouncer(url: string, namespace: string, log: (msg: string, fields?: object) => void): { announce: Announce; close(): void } {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (err) => log('announce: redis unavailable', { error: String(err) }));
  const channel = `${namespace}${CHANGE_CHANNEL}`;
  return {
    announce(messages) {
      for (const message of messages) redis.publish(channel, JSON.stringify(message)).catch(() => {});
    },
    close: () => redis.disconnect(),
  };
}
