import { LoginResponse } from '@bazaar/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness';
import { DEMO_PASSWORD, demoStores } from './seed-demo';

// Demo users exist outside the embedded mode only when SEED_DEMO asks for them.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const login = (url: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'shopkeeper', password: DEMO_PASSWORD }),
  });

describe('demo data', () => {
  it('is absent from a configured database by default', async () => {
    h = await startHarness();
    expect((await login(h.server.url)).status).toBe(401);
    expect((await h.sql.query('SELECT count(*)::int AS n FROM products')).rows[0].n).toBe(0);
  });

  it('SEED_DEMO=true loads stores, catalog, opening stock and one user per role, once', async () => {
    h = await startHarness({ SEED_DEMO: 'true' });
    const res = await login(h.server.url);
    expect(res.status).toBe(200);
    // The login answer names the user's stores, validated by the schema the app parses it with.
    const answer = LoginResponse.parse(await res.json());
    expect(answer.stores.map((s) => s.id).sort()).toEqual([...answer.user.storeIds].sort());
    expect(answer.stores.map((s) => s.name)).toEqual([demoStores[0]!.name]);
    const { rows } = await h.sql.query(
      `SELECT (SELECT count(*)::int FROM stores) AS stores, (SELECT count(*)::int FROM products) AS products,
              (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM movements) AS movements`,
    );
    expect(rows[0]).toMatchObject({ stores: demoStores.length, users: 4 });
    expect(rows[0].products).toBeGreaterThanOrEqual(200);
    expect(rows[0].movements).toBe(rows[0].products * demoStores.length);
  });
});
