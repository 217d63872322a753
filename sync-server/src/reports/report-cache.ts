import type { Redis } from 'ioredis';

/**
 * Where dashboards' figures are kept between requests: Redis, shared by the
 * server instances, or memory in the embedded mode. A cache that cannot
 * answer is a miss, never an error: the figures are read again.
 */
export interface ReportCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Drops every entry (an announcement without a WAL position says nothing about which ones are still good). */
  clear(): Promise<void>;
}

const PREFIX = 'reports:';

export function createRedisReportCache(redis: Redis, onError: (err: unknown) => void): ReportCache {
  return {
    async get(key) {
      return redis.get(PREFIX + key).catch((err: unknown) => {
        onError(err);
        return null;
      });
    },
    async set(key, value, ttlMs) {
      await redis.set(PREFIX + key, value, 'PX', ttlMs).catch(onError);
    },
    // Shared entries carry their WAL position instead (fresh-reads.ts): nothing to drop here.
    async clear() {},
  };
}

export function createMemoryReportCache(maxEntries = 500): ReportCache {
  const entries = new Map<string, { value: string; expires: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.expires <= Date.now()) {
        entries.delete(key);
        return null;
      }
      return entry.value;
    },
    async set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expires: Date.now() + ttlMs });
      // A Map iterates in insertion order: the first key is the oldest written.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    async clear() {
      entries.clear();
    },
  };
}
