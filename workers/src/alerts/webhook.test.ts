import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRows, createProduct, createStore, op, signIn, startHarness, type Harness } from '../../../sync-server/test/harness';
import { signature } from './webhook';

// Alerts delivered to a webhook by a real server running the workers in process:
// signed, retried after a refusal, and each delivery once.
const SECRET = 'the webhook secret, long enough';
let h: Harness;
let receiver: Server;
const received: { body: string; signature: string | undefined; delivery: string | undefined }[] = [];
let refuseNext = 1;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (refuseNext > 0) {
        refuseNext--;
        res.writeHead(500).end();
        return;
      }
      received.push({ body, signature: req.headers['x-bazaar-signature'] as string, delivery: req.headers['x-bazaar-delivery'] as string });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bazaar-alerts`;
  h = await startHarness({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: SECRET });
});
afterAll(async () => {
  await h?.close();
  receiver?.close();
});

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the alert webhook', () => {
  it('is told when an alert opens, after a refused first try, signed; and again when it clears', async () => {
    const store = await createStore(h.sql, 'Hooked');
    const product = await createProduct(h.sql);
    const owner = await signIn(h, 'owner', [store]);
    await owner.push([op.sale(store, [{ productId: product, quantity: 2 }])]);

    await until(() => received.length >= 1, 'the opened alert to arrive');
    const [opened] = received;
    expect(opened!.signature).toBe(signature(SECRET, opened!.body));
    expect(JSON.parse(opened!.body)).toMatchObject({ event: 'opened', alert: { storeId: store, productId: product, kind: 'negative_stock', clearedAt: null } });
    // The receiver has answered before the worker marks the row delivered: wait for the mark.
    await until(async () => (await countRows(h.sql, 'alert_deliveries', `delivered_at IS NOT NULL AND attempts = 2 AND payload->>'event' = 'opened'`)) === 1, 'the opened delivery to be marked');

    await owner.push([op.purchase(store, [{ productId: product, quantity: 10 }])]);
    await until(() => received.length >= 2, 'the cleared alert to arrive');
    expect(JSON.parse(received[1]!.body)).toMatchObject({ event: 'cleared', alert: { kind: 'negative_stock', clearedAt: expect.any(String) } });
    expect(new Set(received.map((r) => r.delivery)).size).toBe(2);
    await until(async () => (await countRows(h.sql, 'alert_deliveries', 'delivered_at IS NULL')) === 0, 'every delivery to be marked');
    expect(await countRows(h.sql, 'alert_deliveries', 'delivered_at IS NOT NULL')).toBe(2);
  }, 60_000);
});
