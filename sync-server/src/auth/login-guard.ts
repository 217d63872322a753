import type { Redis } from 'ioredis';

/**
 * Slows down guessing one user's password from many addresses: after
 * FREE_FAILURES wrong passwords for a username, each further attempt must
 * wait twice as long as the last (1 s, 2 s, 4 s ... up to 5 min). A success
 * clears it. Per-address limits are the rate limiter's job.
 */
export interface LoginGuard {
  /** Milliseconds still to wait before this username may try again; 0 when it may. */
  waitFor(username: string): Promise<number>;
  failed(username: string): Promise<void>;
  succeeded(username: string): Promise<void>;
}

const FREE_FAILURES = 5;
const MAX_WAIT_MS = 5 * 60_000;
const FORGET_AFTER_S = 15 * 60;

export const backoffMs = (failures: number): number =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - FREE_FAILURES));

const failKey = (u: string) => `bazaar:login:failures:${u.toLowerCase()}`;
const waitKey = (u: string) => `bazaar:login:wait:${u.toLowerCase()}`;

export function createRedisLoginGuard(redis: Redis, onError: (err: unknown) => void): LoginGuard {
  return {
    async waitFor(username) {
      try {
        return Math.max(0, await redis.pttl(waitKey(username)));
      } catch (err) {
        onError(err);
        return 0;
      }
    },
    async failed(username) {
      try {
        const [[, failures]] = (await redis.multi().incr(failKey(username)).expire(failKey(username), FORGET_AFTER_S).exec()) as [[null, number]];
        const wait = backoffMs(failures);
        if (wait > 0) await redis.set(waitKey(username), '1', 'PX', wait);
      } catch (err) {
        onError(err);
      }
    },
    async succeeded(username) {
      await redis.del(failKey(username), waitKey(username)).catch(onError);
    },
  };
}

export function createMemoryLoginGuard(): LoginGuard {
  const state = new Map<string, { failures: number; until: number; forgetAt: number }>();
  const get = (u: string) => {
    const s = state.get(u.toLowerCase());
    return s && s.forgetAt > Date.now() ? s : undefined;
  };
  return {
    async waitFor(username) {
      return Math.max(0, (get(username)?.until ?? 0) - Date.now());
    },
    async failed(username) {
      const failures = (get(username)?.failures ?? 0) + 1;
      state.set(username.toLowerCase(), { failures, until: Date.now() + backoffMs(failures), forgetAt: Date.now() + FORGET_AFTER_S * 1000 });
    },
    async succeeded(username) {
      state.delete(username.toLowerCase());
    },
  };
}
