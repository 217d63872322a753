import { circuitBreaker, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import type { Redis } from 'ioredis';

/** The commands revocations, rate limits and the attempt guard send; each goes through the breaker. */
const guardedCommands = new Set(['get', 'set', 'mget', 'del', 'pttl', 'ping', 'bazaarSlidingWindow', 'bazaarAttempt', 'bazaarAttemptFailed']);

/**
 * Redis behind a circuit breaker (cockatiel): after five failures in a row
 * every call fails at once for two seconds, then one is let through to see
 * whether Redis is back. Callers already decide what a failure means (fail
 * closed for revocations, open for rate limits); the breaker only stops a
 * request from waiting on a Redis that is known to be away.
 */
export function guardRedis(redis: Redis, breaker: CircuitBreakerPolicy = redisBreaker()): Redis {
  return new Proxy(redis, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (prop === 'multi') {
        return (...args: unknown[]) => {
          const transaction = method.apply(target, args) as { exec: () => Promise<unknown> };
          const exec = transaction.exec.bind(transaction);
          transaction.exec = () => breaker.execute(() => exec());
          return transaction;
        };
      }
      if (typeof prop === 'string' && guardedCommands.has(prop)) {
        return (...args: unknown[]) => breaker.execute(() => method.apply(target, args) as Promise<unknown>);
      }
      return method.bind(target);
    },
  });
}

export function redisBreaker(): CircuitBreakerPolicy {
  return circuitBreaker(handleAll, { halfOpenAfter: 2_000, breaker: new ConsecutiveBreaker(5) });
}
