import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { CHANGE_CHANNEL, LiveMessage } from '@bazaar/shared';

/**
 * Tells every server instance that something pullable changed (a
 * StreamChange), or that the workers changed reports (a ReportsChange), so
 * each can nudge its own event-stream clients and drop cached figures. Redis pub/sub spreads it across
 * instances (and brings the workers' news: workers/src/runtime/announce.ts);
 * in the embedded mode it stays in process.
 */
export interface ChangeBus {
  publish(message: LiveMessage): Promise<void>;
  subscribe(listener: (message: LiveMessage) => void): () => void;
  close(): Promise<void>;
}

export function createMemoryChangeBus(): ChangeBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(change) {
      emitter.emit('change', change);
    },
    subscribe(listener) {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** How long a start waits for Redis before it goes on without it. */
export const STARTUP_WAIT_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** `namespace` separates deployments sharing one Redis (REDIS_KEY_PREFIX); pub/sub channels are not keys, so it is applied here. */
export async function createRedisChangeBus(url: string, onError: (err: unknown) => void, namespace = ''): Promise<ChangeBus> {
  const channel = `${namespace}${CHANGE_CHANNEL}`;
  // Neither waits for Redis: the server starts without it, and ioredis
  // reconnects (and subscribes again) by itself when it returns. Meanwhile
  // publishing fails fast and streams on other instances miss a nudge,
  // which costs a device a pull at its next resync, never data.
  const publisher = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // A connection in subscriber mode can do nothing else, hence a second one.
  const subscriber = new Redis(url);
  publisher.on('error', onError);
  subscriber.on('error', onError);
  const local = createMemoryChangeBus();
  // Queued until Redis answers; a start with Redis up waits for it, so the first push is heard.
  await Promise.race([subscriber.subscribe(channel).catch(onError), sleep(STARTUP_WAIT_MS)]);
  subscriber.on('message', (_channel, message) => {
    // A message this version does not know (a newer instance's, during a rolling deploy) is ignored.
    let parsed;
    try {
      parsed = LiveMessage.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (parsed.success) void local.publish(parsed.data);
  });
  return {
    async publish(change) {
      await publisher.publish(channel, JSON.stringify(change));
    },
    subscribe: local.subscribe,
    async close() {
      await local.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
