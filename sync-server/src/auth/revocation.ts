import type { Redis } from 'ioredis';
import { AppError } from '../http/errors';
import type { AuthenticatedUser } from './tokens';

/**
 * Revoked tokens, checked on every request. Entries live exactly as long as
 * the tokens they refuse could (the access token lifetime), so the store
 * never grows past what is still dangerous.
 *
 * A token is refused when its session (`sid`, one login's
 * refresh family) or its user's device was revoked, or when it was issued
 * before its user's not-before time (password change, disabled user, role
 * change). Devices are keyed by user and device: a device id is the device's
 * own choice, so it names nothing across users, and a token without a device
 * has no device key to be revoked by.
 */
export interface RevocationStore {
  revokeSession(sessionId: string): Promise<void>;
  revokeDevice(userId: string, deviceId: string): Promise<void>;
  /** Every token of this user issued up to now stops working. */
  revokeUserTokens(userId: string, at?: number): Promise<void>;
  /** Throws AppError('unavailable') when the store cannot answer: see `requireUser`. */
  isRevoked(user: AuthenticatedUser): Promise<boolean>;
}

const sessionKey = (sessionId: string) => `bazaar:revoked:session:${sessionId}`;
const userKey = (userId: string) => `bazaar:revoked:user:${userId}`;
const deviceKey = (userId: string, deviceId: string) => `bazaar:revoked:device:${userId}:${deviceId}`;
const keys = (u: Pick<AuthenticatedUser, 'sessionId' | 'deviceId' | 'id'>) => [
  sessionKey(u.sessionId),
  userKey(u.id),
  ...(u.deviceId === undefined ? [] : [deviceKey(u.id, u.deviceId)]),
];

/** Where the entries live: Redis, or memory in the embedded mode. */
interface ExpiringStore {
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Throws when the store cannot answer. */
  mget(keys: string[]): Promise<(string | null)[]>;
}

function revocationStore(store: ExpiringStore, ttlSeconds: number): RevocationStore {
  const set = (key: string, value = '1') => store.set(key, value, ttlSeconds);
  return {
    revokeSession: (id) => set(sessionKey(id)),
    revokeDevice: (userId, deviceId) => set(deviceKey(userId, deviceId)),
    revokeUserTokens: (id, at = Date.now()) => set(userKey(id), String(at)),
    async isRevoked(user) {
      let values: (string | null)[];
      try {
        values = await store.mget(keys(user));
      } catch {
        // Fail closed: a revoked token must not work because Redis is away.
        // Devices keep their queued sales and retry; nothing is lost.
        throw new AppError('unavailable', 'Cannot check your sign-in right now; your work is kept on the device and will sync shortly.');
      }
      const [session, userNotBefore, device] = values;
      if (session || device) return true;
      return userNotBefore != null && user.issuedAtMs <= Number(userNotBefore);
    },
  };
}

export function createRedisRevocationStore(redis: Redis, ttlSeconds: number): RevocationStore {
  return revocationStore(
    {
      set: async (key, value, ttl) => {
        await redis.set(key, value, 'EX', ttl);
      },
      mget: (list) => redis.mget(...list),
    },
    ttlSeconds,
  );
}

/** The embedded mode's store: one process, so memory is the whole truth. */
export function createMemoryRevocationStore(ttlSeconds: number): RevocationStore {
  const entries = new Map<string, { value: string; expires: number }>();
  const get = (key: string) => {
    const e = entries.get(key);
    if (e && e.expires < Date.now()) entries.delete(key);
    return e && e.expires >= Date.now() ? e.value : null;
  };
  return revocationStore(
    {
      set: async (key, value, ttl) => {
        entries.set(key, { value, expires: Date.now() + ttl * 1000 });
      },
      mget: async (list) => list.map(get),
    },
    ttlSeconds,
  );
}
