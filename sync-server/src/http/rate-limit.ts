import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from './errors';

export interface Rule {
  limit: number;
  windowMs: number;
}

export interface Verdict {
  allowed: boolean;
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one request against `key` and says whether it fits the rule. */
  hit(key: string, rule: Rule): Promise<Verdict>;
}

// A sliding window log: the request times within the window, in a sorted set.
// The clock is Redis's own, so instances with drifting clocks agree.
const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
`;

type SlidingWindow = (key: string, windowMs: number, limit: number, member: string) => Promise<[number, number]>;

export function createRedisRateLimiter(redis: Redis, onError: (err: unknown) => void): RateLimiter {
  // defineCommand sends the script once and then only its hash (EVALSHA).
  redis.defineCommand('bazaarSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
  const slidingWindow = (redis as unknown as { bazaarSlidingWindow: SlidingWindow }).bazaarSlidingWindow.bind(redis);
  let sequence = 0;
  return {
    async hit(key, rule) {
      try {
        const [allowed, retry] = await slidingWindow(`bazaar:rl:${key}`, rule.windowMs, rule.limit, `${process.pid}:${++sequence}`);
        return { allowed: allowed === 1, retryAfterMs: Math.max(0, retry) };
      } catch (err) {
        // Fail open: limits protect capacity, and a shop must still sync while Redis is away.
        onError(err);
        return { allowed: true, retryAfterMs: 0 };
      }
    },
  };
}

export function createMemoryRateLimiter(): RateLimiter {
  // Each key's request times in the order they came, and where the window starts among them:
  // a hit drops only what left the window, not a copy of the whole log (thousands under load).
  const logs = new Map<string, { times: number[]; start: number }>();
  return {
    async hit(key, rule) {
      const now = Date.now();
      const log = logs.get(key) ?? { times: [], start: 0 };
      logs.set(key, log);
      while (log.start < log.times.length && log.times[log.start]! <= now - rule.windowMs) log.start++;
      if (log.start > 1024 && log.start * 2 > log.times.length) {
        log.times = log.times.slice(log.start);
        log.start = 0;
      }
      if (log.times.length - log.start < rule.limit) {
        log.times.push(now);
        return { allowed: true, retryAfterMs: 0 };
      }
      return { allowed: false, retryAfterMs: log.times[log.start]! + rule.windowMs - now };
    },
  };
}

export function tooMany(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('rate_limited', `Too many requests; try again in ${seconds} s.`, { retryAfterSeconds: seconds });
}

/**
 * Limits a route per client address and, once signed in, per user. Both
 * windows must admit the request; a refusal is 429 with Retry-After.
 */
export function rateLimit(limiter: RateLimiter, bucket: string, rules: { perIp: Rule; perUser?: Rule }): RequestHandler {
  return async (req, res, next) => {
    const checks = [limiter.hit(`${bucket}:ip:${req.ip}`, rules.perIp)];
    const userId = (res.locals.user as { id?: string } | undefined)?.id;
    if (rules.perUser && userId) checks.push(limiter.hit(`${bucket}:user:${userId}`, rules.perUser));
    const refused = (await Promise.all(checks)).filter((v) => !v.allowed);
    if (refused.length > 0) {
      const wait = Math.max(...refused.map((v) => v.retryAfterMs));
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(wait / 1000))));
      throw tooMany(wait);
    }
    next();
  };
}
