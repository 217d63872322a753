import { BrokenCircuitError, CircuitState } from 'cockatiel';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort, startPrivateRedis } from '../../test/services';
import { guardRedis, redisBreaker } from './breaker';

describe('Redis behind a circuit breaker', () => {
  it('opens after five failures in a row, refuses at once while open, and closes again once Redis is back', async () => {
    const port = await freePort();
    let redis = await startPrivateRedis(port);
    // As the server makes it: no queue while disconnected, so a call fails rather than waits.
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    client.on('error', () => {});
    await client.connect();
    const breaker = redisBreaker();
    const guarded = guardRedis(client, breaker);
    try {
      await guarded.set('k', 'v');
      expect(await guarded.get('k')).toBe('v');
      redis.process.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));

      const failures = [];
      for (let i = 0; i < 6; i++) failures.push(await guarded.get('k').catch((err: unknown) => err));
      expect(failures.slice(0, 5).every((e) => e instanceof Error && !(e instanceof BrokenCircuitError))).toBe(true);
      expect(failures[5]).toBeInstanceOf(BrokenCircuitError);
      expect(breaker.state).toBe(CircuitState.Open);
      // A transaction is guarded too.
      await expect(guarded.multi().incr('n').exec()).rejects.toBeInstanceOf(BrokenCircuitError);

      redis = await startPrivateRedis(port);
      const end = Date.now() + 20_000;
      for (;;) {
        const ok = await guarded.set('k', 'again').then(() => true, () => false);
        if (ok) break;
        expect(Date.now()).toBeLessThan(end);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(breaker.state).toBe(CircuitState.Closed);
    } finally {
      client.disconnect();
      redis.process.kill('SIGKILL');
    }
  }, 60_000);
});
