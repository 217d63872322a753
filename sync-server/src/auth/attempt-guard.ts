import type { Redis } from 'ioredis';

/**
 * Slows down guessing one account's password from many addresses: after
 * FREE_FAILURES wrong passwords, each further attempt must wait twice as long
 * as the last (1 s, 2 s, 4 s ... up to 5 min). A success clears it.
 * Per-address limits are the rate limiter's job.
 *
 * An attempt is counted as a failure *before* its password is checked, in one
 * atomic step with the check of the wait, and forgiven when it succeeds: guesses
 * sent all at once are counted like guesses sent one after another (sixth and
 * later refused), where checking first and counting after let them all through.
 *
 * Kinds keep the counters apart: `login` by username, `password` (the change
 * of a signed-in user's password) by user id.
 */
export type AttemptKind = 'login' | 'password';

export interface AttemptGuard {
  /** Counts one attempt. Milliseconds to wait when it is refused (and not counted); 0 when it may go on. */
  attempt(kind: AttemptKind, account: string): Promise<number>;
  /**
   * The attempt was wrong: the wait runs again from now, so a slow check of
   * the password (a busy server) does not use the wait up before it is over.
   */
  failed(kind: AttemptKind, account: string): Promise<void>;
  /** The attempt was right: forget the failures. */
  succeeded(kind: AttemptKind, account: string): Promise<void>;
}

const FREE_FAILURES = 5;
const MAX_WAIT_MS = 5 * 60_000;
const FORGET_AFTER_S = 15 * 60;

export const backoffMs = (failures: number): number =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - FREE_FAILURES));

const failKey = (kind: AttemptKind, account: string) => `bazaar:attempts:${kind}:failures:${account.toLowerCase()}`;
const waitKey = (kind: AttemptKind, account: string) => `bazaar:attempts:${kind}:wait:${account.toLowerCase()}`;

// KEYS: failures, wait. ARGV: forget after (s), free failures, max wait (ms).
const ATTEMPT = `
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return wait end
local failures = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
local free = tonumber(ARGV[2])
if failures >= free then
  redis.call('SET', KEYS[2], '1', 'PX', math.min(tonumber(ARGV[3]), 1000 * 2 ^ (failures - free)))
end
return 0
`;

// KEYS: failures, wait. ARGV: free failures, max wait (ms).
const FAILED = `
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local free = tonumber(ARGV[1])
if failures >= free then
  redis.call('SET', KEYS[2], '1', 'PX', math.min(tonumber(ARGV[2]), 1000 * 2 ^ (failures - free)))
end
return 0
`;

type AttemptScript = (failures: string, wait: string, forgetAfterS: number, free: number, maxWaitMs: number) => Promise<number>;
type FailedScript = (failures: string, wait: string, free: number, maxWaitMs: number) => Promise<number>;

export function createRedisAttemptGuard(redis: Redis, onError: (err: unknown) => void): AttemptGuard {
  redis.defineCommand('bazaarAttempt', { numberOfKeys: 2, lua: ATTEMPT });
  redis.defineCommand('bazaarAttemptFailed', { numberOfKeys: 2, lua: FAILED });
  const script = (redis as unknown as { bazaarAttempt: AttemptScript }).bazaarAttempt.bind(redis);
  const failedScript = (redis as unknown as { bazaarAttemptFailed: FailedScript }).bazaarAttemptFailed.bind(redis);
  return {
    async attempt(kind, account) {
      try {
        return Math.max(0, await script(failKey(kind, account), waitKey(kind, account), FORGET_AFTER_S, FREE_FAILURES, MAX_WAIT_MS));
      } catch (err) {
        // Fail open, as the rate limits do: Redis away must not lock everybody out.
        onError(err);
        return 0;
      }
    },
    async failed(kind, account) {
      await failedScript(failKey(kind, account), waitKey(kind, account), FREE_FAILURES, MAX_WAIT_MS).catch(onError);
    },
    async succeeded(kind, account) {
      await redis.del(failKey(kind, account), waitKey(kind, account)).catch(onError);
    },
  };
}

export function createMemoryAttemptGuard(): AttemptGuard {
  const state = new Map<string, { failures: number; until: number; forgetAt: number }>();
  return {
    // No await inside: in one process this is as atomic as the script.
    async attempt(kind, account) {
      const key = failKey(kind, account);
      const now = Date.now();
      const known = state.get(key);
      const current = known && known.forgetAt > now ? known : undefined;
      if (current && current.until > now) return current.until - now;
      const failures = (current?.failures ?? 0) + 1;
      state.set(key, { failures, until: now + backoffMs(failures), forgetAt: now + FORGET_AFTER_S * 1000 });
      return 0;
    },
    async failed(kind, account) {
      const current = state.get(failKey(kind, account));
      if (current) current.until = Math.max(current.until, Date.now() + backoffMs(current.failures));
    },
    async succeeded(kind, account) {
      state.delete(failKey(kind, account));
    },
  };
}
