import { afterAll, describe, expect, it } from 'vitest';
import type { LiveMessage, ReportsChange, StreamChange } from '@bazaar/shared';
import { createRedisChangeBus, type ChangeBus } from '../../../sync-server/src/live/change-bus';
import { services } from '../../../sync-server/test/services';
import { redisAnnouncer } from './announce';

// A worker process reaches the servers' streams through the same Redis channel they share (real Redis).
const namespace = `announce-test-${process.pid}:`;
let bus: ChangeBus | undefined;
afterAll(() => bus?.close());

describe('redisAnnouncer', () => {
  it('what a worker announces reaches a server’s change bus of the same namespace, and not another’s', async () => {
    bus = await createRedisChangeBus(services.redis, () => {}, namespace);
    const other = await createRedisChangeBus(services.redis, () => {}, `${namespace}other:`);
    const heard: LiveMessage[] = [];
    const heardElsewhere: LiveMessage[] = [];
    bus.subscribe((c) => heard.push(c));
    other.subscribe((c) => heardElsewhere.push(c));
    const announcer = redisAnnouncer(services.redis, namespace, () => {});
    try {
      const change: StreamChange = { storeId: '7b0c8e52-52a4-4f0e-8d0f-3c1f1b7c6a01', collections: ['alerts'] };
      // The announcer does not wait for its connection: say it until it is heard.
      for (let i = 0; i < 100 && heard.length === 0; i++) {
        announcer.announce([change]);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(heard[0]).toEqual(change);
      // Dashboards' news travels the same way, beside device changes.
      const reports: ReportsChange = { reports: [change.storeId!], lsn: '0/16B3748' };
      announcer.announce([reports]);
      for (let i = 0; i < 100 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard.at(-1)).toEqual(reports);
      expect(heardElsewhere).toEqual([]);
    } finally {
      announcer.close();
      await other.close();
    }
  });
});
