import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, ReplenishmentList } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness, eventsPublished } from '../../../sync-server/test/harness';

// The replenishment worker in process (no Kafka), fed by a real server's relay, and GET /api/replenishment.
let h: Harness;
let store: string;
let owner: ApiClient;

const on = (day: string, operation: Operation): Operation => ({ ...operation, createdAt: `${day}T10:00:00.000Z` });
const dayBefore = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const suggestions = (client: ApiClient, all = false) =>
  client.request('GET', `/api/replenishment?storeId=${store}${all ? '&all=true' : ''}`) as Promise<{ status: number; body: ReplenishmentList }>;

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Defence');
  owner = await signIn(h, 'owner', [store]);
});
afterAll(() => h?.close());

describe('replenishment', () => {
  it('suggests from 28 days of sales, the reorder level and the stock on hand, with the numbers it used; refreshed as stock arrives', async () => {
    const product = await createProduct(h.sql);
    const last = '2026-11-30';
    const reorder = { ...op.price(store, product, 0, 100), changes: { reorderLevel: 5 } } as Operation;
    await owner.push([on(dayBefore(last, 28), op.purchase(store, [{ productId: product, quantity: 300 }])), reorder]);
    const shopkeeper = await signIn(h, 'shopkeeper', [store]);
    // Ten a day for the 28 days up to the 30th.
    await shopkeeper.push(Array.from({ length: 28 }, (_, i) => on(dayBefore(last, 27 - i), op.sale(store, [{ productId: product, quantity: 10 }]))));
    await eventsPublished(h);

    const [suggestion] = (await suggestions(owner)).body.suggestions.filter((s) => s.productId === product);
    // 10 a day over 3 days' lead time and a week to the next order, plus the reorder level, less the 20 on hand.
    expect(suggestion).toMatchObject({ asOf: last, onHand: 20, reorderLevel: 5, dailyVelocity: 10, leadTimeDays: 3, suggestedQuantity: 85 });
    expect(suggestion?.basis).toMatchObject({ last14Days: 140, last28Days: 280, horizonDays: 10, forecastDemand: 100, weekdayFactors: [1, 1, 1, 1, 1, 1, 1] });

    await owner.push([on(last, op.purchase(store, [{ productId: product, quantity: 100 }]))]);
    await eventsPublished(h);
    expect((await suggestions(owner)).body.suggestions.filter((s) => s.productId === product)).toEqual([]);
    expect((await suggestions(owner, true)).body.suggestions.find((s) => s.productId === product)).toMatchObject({ onHand: 120, suggestedQuantity: 0 });
  });

  it('is for the owners and managers of the store', async () => {
    expect((await suggestions(await signIn(h, 'shopkeeper', [store]))).status).toBe(403);
    expect((await suggestions(await signIn(h, 'owner', [await createStore(h.sql, 'Elsewhere')]))).status).toBe(403);
    expect((await suggestions(await signIn(h, 'manager', [store]))).status).toBe(200);
    expect((await owner.request('GET', '/api/replenishment?storeId=nope')).status).toBe(400);
  });
});
