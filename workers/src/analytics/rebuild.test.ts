import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Operation } from '@bazaar/shared';
import { createProduct, createStore, op, signIn, startHarness, type Harness, eventsPublished } from '../../../sync-server/test/harness';
import { projectionPool } from '../runtime/pool';
import { rebuildAnalytics } from './rebuild';

// Event sourcing: the analytics projection rebuilt from the movements log
// equals what the live worker (in process here) built from the events.
let h: Harness;
let pool: pg.Pool;

const snapshot = async () => ({
  sales: (await h.sql.query('SELECT * FROM report_sales ORDER BY store_id, day, hour, product_id')).rows,
  costs: (await h.sql.query('SELECT * FROM report_costs ORDER BY store_id, product_id')).rows,
  events: (await h.sql.query(`SELECT event_id FROM processed_events WHERE consumer = 'analytics' ORDER BY event_id`)).rows,
  hours: (await h.sql.query('SELECT * FROM report_store_hours ORDER BY store_id, day, hour')).rows,
  days: (await h.sql.query('SELECT * FROM report_store_days ORDER BY store_id, day')).rows,
  zoneHours: (await h.sql.query('SELECT * FROM report_zone_hours ORDER BY day, time_zone, hour, shard')).rows,
  zoneProducts: (await h.sql.query('SELECT * FROM report_zone_products ORDER BY day, time_zone, product_id, shard')).rows,
  holdings: (await h.sql.query('SELECT * FROM report_product_holdings ORDER BY product_id, shard')).rows,
});

/** The store rollups must be report_sales summed without the product: one fold writes all three. */
const rollupsMatch = async () => {
  const sums = `sum(tickets)::int AS tickets, sum(units_milli)::bigint AS units, sum(revenue_paisa)::bigint AS revenue, sum(cash_paisa)::bigint AS cash,
                sum(costed_revenue_paisa - cost_paisa)::bigint AS margin, sum(return_tickets)::int AS returns, sum(refunds_paisa)::bigint AS refunds`;
  const plain = `tickets, units_milli AS units, revenue_paisa AS revenue, cash_paisa AS cash, costed_revenue_paisa - cost_paisa AS margin, return_tickets AS returns, refunds_paisa AS refunds`;
  const fromSales = (await h.sql.query(`SELECT store_id, day, hour, ${sums} FROM report_sales GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)).rows;
  const hours = (await h.sql.query(`SELECT store_id, day, hour, ${plain} FROM report_store_hours ORDER BY 1, 2, 3`)).rows;
  expect(hours).toEqual(fromSales);
  const byDay = (await h.sql.query(`SELECT store_id, day, ${sums} FROM report_sales GROUP BY 1, 2 ORDER BY 1, 2`)).rows;
  expect((await h.sql.query(`SELECT store_id, day, ${plain} FROM report_store_days ORDER BY 1, 2`)).rows).toEqual(byDay);

  // Each store-day's revenue by hour is its hour rows'.
  const hourly = (await h.sql.query(`SELECT d.store_id, d.day, g AS hour, d.revenue_hours[g + 1] AS revenue FROM report_store_days d CROSS JOIN generate_series(0, 23) g WHERE d.revenue_hours[g + 1] <> 0 ORDER BY 1, 2, 3`)).rows;
  expect(hourly.length).toBeGreaterThan(0);
  expect(hourly).toEqual((await h.sql.query(`SELECT store_id, day, hour::int, revenue_paisa AS revenue FROM report_store_hours WHERE revenue_paisa <> 0 ORDER BY 1, 2, 3`)).rows);

  // Every store's rollups: the same sums by zone and shard, the shard worked out in SQL as migration 0021 does.
  const shard = 'get_byte(uuid_send(r.store_id), 3) % 8';
  const byZone = (await h.sql.query(`SELECT r.day, s.time_zone, r.hour, ${shard} AS shard, ${sums} FROM report_sales r JOIN stores s ON s.id = r.store_id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)).rows;
  expect((await h.sql.query(`SELECT day, time_zone, hour, shard, ${plain} FROM report_zone_hours ORDER BY 1, 2, 3, 4`)).rows).toEqual(byZone);
  const productSums = `sum(units_milli)::bigint AS units, sum(revenue_paisa)::bigint AS revenue, sum(costed_revenue_paisa - cost_paisa)::bigint AS margin`;
  const byProduct = (await h.sql.query(`SELECT r.day, s.time_zone, r.product_id, ${shard} AS shard, ${productSums} FROM report_sales r JOIN stores s ON s.id = r.store_id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)).rows;
  expect(
    (await h.sql.query(`SELECT day, time_zone, product_id, shard, units_milli AS units, revenue_paisa AS revenue, costed_revenue_paisa - cost_paisa AS margin FROM report_zone_products ORDER BY 1, 2, 3, 4`)).rows,
  ).toEqual(byProduct);
  const held = (await h.sql.query(`SELECT product_id, ${shard} AS shard, sum(on_hand_milli)::bigint AS on_hand, count(*) FILTER (WHERE on_hand_milli > 0)::int AS stores FROM report_costs r GROUP BY 1, 2 ORDER BY 1, 2`)).rows;
  expect((await h.sql.query(`SELECT product_id, shard, on_hand_milli AS on_hand, stores FROM report_product_holdings ORDER BY 1, 2`)).rows).toEqual(held);
  // And what all stores hold is what the stock says.
  const stock = (await h.sql.query(`SELECT product_id, (sum(quantity) * 1000)::bigint AS on_hand FROM stock GROUP BY 1 ORDER BY 1`)).rows;
  expect((await h.sql.query(`SELECT product_id, sum(on_hand_milli)::bigint AS on_hand FROM report_product_holdings GROUP BY 1 ORDER BY 1`)).rows).toEqual(stock);
};

beforeAll(async () => {
  h = await startHarness();
  pool = projectionPool(h.database.url, 2);
});
afterAll(async () => {
  await pool?.end();
  await h?.close();
});

describe('workers:rebuild', () => {
  it('rebuilds the same figures to the paisa, with the same event ids, so later deliveries still apply once', async () => {
    const stores = [await createStore(h.sql, 'Saddar'), await createStore(h.sql, 'Tariq Road'), await createStore(h.sql, 'Deira')];
    // A store in another zone: its days are its own in every rollup.
    await h.sql.query(`UPDATE stores SET time_zone = 'Asia/Dubai' WHERE id = $1`, [stores[2]]);
    const products = [await createProduct(h.sql), await createProduct(h.sql), await createProduct(h.sql)];
    for (const store of stores) {
      const owner = await signIn(h, 'owner', [store]);
      const shopkeeper = await signIn(h, 'shopkeeper', [store]);
      await owner.push([op.purchase(store, products.map((productId) => ({ productId, quantity: 7.5 })))]);
      const sales: Operation[] = [];
      for (let i = 0; i < 30; i++) {
        const sale = op.sale(store, [
          { productId: products[i % 3]!, quantity: 0.25 * (1 + (i % 4)), unitPrice: 33.33 },
          { productId: products[(i + 1) % 3]!, quantity: 1, unitPrice: 19.99 },
        ]);
        sales.push(i % 5 === 0 ? { ...sale, payment: { method: 'credit', customer: { name: 'Bilal' } } } as Operation : sale);
      }
      await shopkeeper.push(sales);
      const back = { ...op.sale(store, [{ productId: products[0]!, quantity: 0.5, unitPrice: 33.33 }]), type: 'return' } as Operation;
      delete (back as { payment?: unknown }).payment;
      await shopkeeper.push([back, op.adjustment(store, products[1]!, -1)]);
      await owner.push([op.purchase(store, [{ productId: products[2]!, quantity: 12 }])]);
    }
    await eventsPublished(h);
    const live = await snapshot();
    expect(live.sales.length).toBeGreaterThan(0);
    await rollupsMatch();

    const read = await rebuildAnalytics(pool, { batch: 17 });
    expect(read).toBe(live.events.length);
    expect(await snapshot()).toEqual(live);

    // The live worker goes on after the rebuild: a new sale counts once, nothing counts twice.
    const owner = await signIn(h, 'owner', [stores[0]!]);
    await owner.push([op.sale(stores[0]!, [{ productId: products[0]!, quantity: 1, unitPrice: 10 }])]);
    await eventsPublished(h);
    const after = await snapshot();
    expect(after.events.length).toBe(live.events.length + 1);
    const revenue = (rows: { revenue_paisa: string }[]) => rows.reduce((sum, r) => sum + Number(r.revenue_paisa), 0);
    expect(revenue(after.sales)).toBe(revenue(live.sales) + 1000);
    await rollupsMatch();
  });
});
