import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles the wait after each failure in a row, up to the ceiling, with jitter in its upper half', () => {
    const low = new Backoff(1_000, 60_000, () => 0);
    const high = new Backoff(1_000, 60_000, () => 1);
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => low.delayFor(n))).toEqual([500, 1_000, 2_000, 4_000, 30_000, 30_000, 30_000]);
    expect([1, 2, 3, 7, 20].map((n) => high.delayFor(n))).toEqual([1_000, 2_000, 4_000, 60_000, 60_000]);
  });

  it('starts again from the shortest wait after a success', async () => {
    const backoff = new Backoff(20, 1_000, () => 1);
    await backoff.failed();
    await backoff.failed();
    const third = Date.now();
    await backoff.failed(); // 80 ms
    expect(Date.now() - third).toBeGreaterThanOrEqual(70);
    backoff.succeeded();
    const fresh = Date.now();
    await backoff.failed(); // 20 ms again
    expect(Date.now() - fresh).toBeLessThan(70);
  });

  it('ends every wait at once when woken', async () => {
    const backoff = new Backoff(60_000, 60_000, () => 1);
    const started = Date.now();
    const waits = [backoff.failed(), backoff.failed()];
    setTimeout(() => backoff.wake(), 10);
    await Promise.all(waits);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
