import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimiter } from './rate-limit';

// The embedded mode's limiter (the Redis one is tested with the gateway's attacks): a sliding window per key.
afterEach(() => {
  vi.useRealTimers();
});

describe('the in-memory rate limiter', () => {
  it('admits the rule’s number of requests per window and key, says when the next fits, and forgets what left the window', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = createMemoryRateLimiter();
    const rule = { limit: 3, windowMs: 1000 };
    for (let i = 0; i < 3; i++) {
      expect(await limiter.hit('a', rule)).toEqual({ allowed: true, retryAfterMs: 0 });
      vi.advanceTimersByTime(100);
    }
    expect(await limiter.hit('a', rule)).toEqual({ allowed: false, retryAfterMs: 700 });
    expect((await limiter.hit('b', rule)).allowed).toBe(true);
    vi.advanceTimersByTime(700);
    expect((await limiter.hit('a', rule)).allowed).toBe(true);
    expect((await limiter.hit('a', rule)).allowed).toBe(false);
  });

  it('keeps counting right over many windows of a busy key', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createMemoryRateLimiter();
    const rule = { limit: 2000, windowMs: 1000 };
    let admitted = 0;
    // 5 requests a millisecond for 10 s: 2,000 a window get in, the rest wait (and the log is compacted as it goes).
    for (let ms = 0; ms < 10_000; ms++) {
      for (let i = 0; i < 5; i++) if ((await limiter.hit('busy', rule)).allowed) admitted++;
      vi.advanceTimersByTime(1);
    }
    expect(admitted).toBe(20_000);
  });
});
