import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LoginResponse, SalesReport } from '@bazaar/shared';
import { loadConfig } from '../config';
import { demoStores, DEMO_PASSWORD } from '../seed/seed-demo';
import { unpublished } from '../outbox/relay';
import { startServer } from '../server';

// The embedded default of the quick start: PGlite, in-process events, demo data.
const dataDir = await mkdtemp(path.join(tmpdir(), 'bazaar-embedded-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

interface StockList {
  items: { productId: string; quantity: number }[];
}

const config = () => loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

async function login(url: string, username: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as LoginResponse;
}

describe('embedded mode', () => {
  it('starts with no services, seeds the demo, records a sale, and keeps it across a restart', async () => {
    expect(config().embedded).toBe(true);
    const saleId = randomUUID();
    let stock: { quantity: number; productId: string };
    let soldAt = '';
    const first = await startServer(config());
    try {
      const { accessToken, user } = await login(first.url, 'shopkeeper');
      expect(user).toMatchObject({ role: 'shopkeeper', storeIds: [demoStores[0].id] });
      const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
      const products = (await (await fetch(`${first.url}/api/sync/products/pull?limit=2000`, { headers: auth })).json()) as {
        documents: { nameUr: string }[];
      };
      expect(products.documents.length).toBeGreaterThanOrEqual(200);
      expect(products.documents[0]?.nameUr).toMatch(/[\u0600-\u06FF]/);

      const { items } = (await (await fetch(`${first.url}/api/stores/${user.storeIds[0]}/stock`, { headers: auth })).json()) as StockList;
      stock = items.find((i) => i.quantity > 3)!;
      soldAt = new Date().toISOString();
      const push = await fetch(`${first.url}/api/sync/operations/push`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify([
          {
            assumedMasterState: null,
            newDocumentState: {
              id: saleId,
              storeId: user.storeIds[0],
              deviceId: 'phone',
              createdAt: soldAt,
              type: 'sale',
              lines: [{ productId: stock.productId, quantity: 2, unitPrice: 50 }],
              payment: { method: 'cash' },
            },
          },
        ]),
      });
      expect(await push.json()).toEqual([]);
      // The in-process relay publishes the sale's events.
      const deadline = Date.now() + 5000;
      while ((await unpublished(first.db.pool)) > 0) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await first.stop();
    }

    const second = await startServer(config());
    try {
      const { accessToken, user } = await login(second.url, 'shopkeeper');
      const ops = (await (
        await fetch(`${second.url}/api/sync/operations/pull?limit=2000`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as { documents: { id: string }[] };
      expect(ops.documents.filter((d: { id: string }) => d.id === saleId)).toMatchObject([{ outcome: { status: 'applied' } }]);
      const { items } = (await (
        await fetch(`${second.url}/api/stores/${user.storeIds[0]}/stock`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as StockList;
      expect(items.find((i) => i.productId === stock.productId)?.quantity).toBe(stock.quantity - 2);

      // The workers ran in process: the owner's report has the sale (of today, in Karachi).
      const owner = await login(second.url, 'owner');
      // The sale's own local day (the device's clock is what the report counts by), not the day the test reads it: it may run across midnight.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Karachi' }).format(new Date(soldAt));
      const report = (await (
        await fetch(`${second.url}/api/reports/sales?storeIds=${user.storeIds[0]}&from=${today}&to=${today}&groupBy=product`, {
          headers: { authorization: `Bearer ${owner.accessToken}` },
        })
      ).json()) as SalesReport;
      expect(report.rows.find((r) => r.key === stock.productId)).toMatchObject({ sales: 1, units: 2, revenue: 100 });
    } finally {
      await second.stop();
    }
  }, 120_000);
});
