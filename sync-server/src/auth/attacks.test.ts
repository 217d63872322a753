import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { hashPassword } from './password';
import { createUser } from './users-repository';
import { loadConfig } from '../config';
import { startServer } from '../server';
import {
  ApiClient,
  countRows,
  createProduct,
  createStore,
  op,
  randomAddress,
  signIn,
  startHarness,
  TEST_JWT_SECRET,
  TEST_PASSWORD,
  type Harness,
} from '../../test/harness';
import { freePort, services, startPrivateRedis } from '../../test/services';
import { AUDIENCE, ISSUER } from './tokens';

// The gateway, attacked the way an attacker would try, against real PostgreSQL and Redis.
let h: Harness;
let store: string;
let otherStore: string;
let product: string;
let owner: ApiClient;
let shopkeeper: ApiClient;

beforeAll(async () => {
  h = await startHarness({ REDIS_URL: services.redis });
  [store, otherStore] = await Promise.all([createStore(h.sql, 'A'), createStore(h.sql, 'B')]);
  product = await createProduct(h.sql);
  owner = await signIn(h, 'owner', [store]);
  shopkeeper = await signIn(h, 'shopkeeper', [store]);
});
afterAll(() => h?.close());

const claims = () => JSON.parse(Buffer.from(shopkeeper.login.accessToken.split('.')[1]!, 'base64url').toString());
const pullWith = (token: string) =>
  fetch(`${h.server.url}/api/sync/stock/pull`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
const sign = (payload: object, secret = TEST_JWT_SECRET, options: jwt.SignOptions = {}) =>
  jwt.sign(payload, secret, { algorithm: 'HS256', keyid: 'primary', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60, ...options });

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress(), ...headers },
    body: JSON.stringify(body),
  });
}

describe('forged and stale access tokens', () => {
  it('a genuine token works (the control for the cases below)', async () => {
    expect(await pullWith(shopkeeper.login.accessToken)).toBe(200);
  });

  it('refuses alg: none', async () => {
    const { exp, iat, ...rest } = claims();
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'primary' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...rest, exp: exp + 600, iat })).toString('base64url');
    expect(await pullWith(`${header}.${body}.`)).toBe(401);
  });

  it('refuses a token signed with another key', async () => {
    const { exp: _e, iat: _i, iss: _s, aud: _a, ...rest } = claims();
    expect(await pullWith(sign(rest, 'another-secret-that-is-long-enough-000000'))).toBe(401);
    // ...and one that names a key id we do not have.
    expect(await pullWith(sign(rest, TEST_JWT_SECRET, { keyid: 'retired' }))).toBe(401);
  });

  it('refuses a tampered payload', async () => {
    const [head, , sig] = shopkeeper.login.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims(), role: 'owner', stores: [store, otherStore] })).toString('base64url');
    expect(await pullWith(`${head}.${forged}.${sig}`)).toBe(401);
  });

  it('refuses an expired token', async () => {
    const { exp: _e, iat: _i, iss: _s, aud: _a, ...rest } = claims();
    const expired = sign({ ...rest, iat: Math.floor(Date.now() / 1000) - 3600 }, TEST_JWT_SECRET, { expiresIn: -10 });
    expect(await pullWith(expired)).toBe(401);
  });

  it('refuses a token for another audience or issuer', async () => {
    const { exp: _e, iat: _i, iss: _s, aud: _a, ...rest } = claims();
    expect(await pullWith(sign(rest, TEST_JWT_SECRET, { audience: 'bazaar-admin-console' }))).toBe(401);
    expect(await pullWith(sign(rest, TEST_JWT_SECRET, { issuer: 'somebody-else' }))).toBe(401);
  });
});

describe('permissions', () => {
  it("a shopkeeper of store A pushing for store B inside a valid batch: the whole push is 403, nothing written", async () => {
    const mine = op.sale(store, [{ productId: product, quantity: 1 }]);
    const theirs = op.sale(otherStore, [{ productId: product, quantity: 1 }]);
    expect((await shopkeeper.push([mine, theirs])).status).toBe(403);
    expect(await countRows(h.sql, 'operations', 'id = ANY($1::uuid[])', [[mine.id, theirs.id]])).toBe(0);
  });

  it('a manager may read but not sell', async () => {
    const manager = await signIn(h, 'manager', [store]);
    expect((await manager.pull('stock')).status).toBe(200);
    const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
    expect((await manager.push([sale])).status).toBe(403);
    expect(await countRows(h.sql, 'operations', 'id = $1', [sale.id])).toBe(0);
  });

  it('owners manage their own shopkeepers only; admins manage roles, stores and the catalog', async () => {
    const user = (role: string, storeIds: string[]) => ({ username: `u${randomUUID().slice(0, 8)}`, password: TEST_PASSWORD, role, storeIds });
    expect((await owner.request('POST', '/api/users', user('shopkeeper', [store]))).status).toBe(201);
    expect((await owner.request('POST', '/api/users', user('shopkeeper', [otherStore]))).status).toBe(403);
    expect((await owner.request('POST', '/api/users', user('owner', [store]))).status).toBe(403);
    expect((await shopkeeper.request('POST', '/api/users', user('shopkeeper', [store]))).status).toBe(403);
    expect((await owner.request('POST', '/api/catalog/products', { sku: 'X' })).status).toBe(403);
    expect((await owner.request('POST', '/api/stores', { name: 'Mine now' })).status).toBe(403);

    const admin = await signIn(h, 'admin', []);
    const created = await admin.request('POST', '/api/catalog/products', {
      sku: `SKU-${randomUUID().slice(0, 6)}`, nameEn: 'Rooh Afza 800ml', nameUr: 'روح افزا', category: 'tea-beverages', unit: 'piece', defaultPrice: 540,
    });
    expect(created.status).toBe(201);
    expect((await admin.request('POST', '/api/stores', { name: 'Hyderabad', city: 'Hyderabad' })).status).toBe(201);

    // A role change ends the user's sessions: the old token carried the old role.
    const promoted = await signIn(h, 'shopkeeper', [store]);
    expect((await admin.request('POST', `/api/users/${promoted.userId}/role`, { role: 'owner' })).status).toBe(204);
    expect((await promoted.pull('stock')).status).toBe(401);
    expect(await countRows(h.sql, 'audit_log', `action = 'user.role_changed' AND details->>'userId' = $1`, [promoted.userId])).toBe(1);
  });
});

describe('sessions', () => {
  it('a refresh token replayed after rotation kills its whole family', async () => {
    const user = await signIn(h, 'shopkeeper', [store]);
    const first = await post('/api/auth/refresh', { refreshToken: user.login.refreshToken });
    expect(first.status).toBe(200);
    const rotated = (await first.json()) as { accessToken: string; refreshToken: string };
    expect(await pullWith(rotated.accessToken)).toBe(200);

    // Somebody replays the old one: refused, and the legitimate holder's new tokens die with it.
    expect((await post('/api/auth/refresh', { refreshToken: user.login.refreshToken })).status).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: rotated.refreshToken })).status).toBe(401);
    expect(await pullWith(rotated.accessToken)).toBe(401);
    expect(await pullWith(user.login.accessToken)).toBe(401);
    expect(await countRows(h.sql, 'audit_log', `action = 'refresh.reused' AND actor_id = $1`, [user.userId])).toBe(1);
  });

  it('a logged-out token is refused on the very next request', async () => {
    const user = await signIn(h, 'shopkeeper', [store]);
    expect((await user.request('POST', '/api/auth/logout')).status).toBe(204);
    expect(await pullWith(user.login.accessToken)).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: user.login.refreshToken })).status).toBe(401);
  });

  it('a password change ends every session of the user', async () => {
    const user = await signIn(h, 'shopkeeper', [store]);
    const res = await user.request('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-new-long-password' });
    expect(res.status).toBe(204);
    expect(await pullWith(user.login.accessToken)).toBe(401);
    const login = await post('/api/auth/login', { username: user.login.user.username, password: 'a-new-long-password' });
    expect(login.status).toBe(200);
  });

  it("an owner sees and revokes a device of their store, which ends its sync for good", async () => {
    const phone = await signIn(h, 'shopkeeper', [store]);
    const deviceId = `device-${phone.login.user.username}`;
    const list = await owner.request('GET', `/api/stores/${store}/devices`);
    expect(list.body.devices).toContainEqual(expect.objectContaining({ userId: phone.userId, deviceId, role: 'shopkeeper' }));
    expect((await shopkeeper.request('GET', `/api/stores/${store}/devices`)).status).toBe(403);

    expect((await owner.request('POST', `/api/stores/${store}/users/${phone.userId}/devices/${deviceId}/revoke`)).status).toBe(204);
    expect((await phone.push([op.sale(store, [{ productId: product, quantity: 1 }])])).status).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: phone.login.refreshToken })).status).toBe(401);
    const again = await post('/api/auth/login', { username: phone.login.user.username, password: TEST_PASSWORD, deviceId });
    expect(again.status).toBe(403);
    expect(await countRows(h.sql, 'audit_log', `action = 'device.revoked' AND details->>'deviceId' = $1`, [deviceId])).toBe(1);
  });

  it('a disabled user is signed out everywhere', async () => {
    const user = await signIn(h, 'shopkeeper', [store]);
    expect((await owner.request('POST', `/api/users/${user.userId}/disable`)).status).toBe(204);
    expect(await pullWith(user.login.accessToken)).toBe(401);
    expect((await post('/api/auth/login', { username: user.login.user.username, password: TEST_PASSWORD })).status).toBe(401);
  });

  it("a store's staff list shows its owner their shopkeepers, disabled ones marked, and nobody else's", async () => {
    const added = await signIn(h, 'shopkeeper', [store]);
    const coOwner = await signIn(h, 'owner', [store]);
    const elsewhere = await signIn(h, 'shopkeeper', [otherStore]);
    expect((await owner.request('POST', `/api/users/${added.userId}/disable`)).status).toBe(204);
    const { status, body } = await owner.request('GET', `/api/stores/${store}/staff`);
    expect(status).toBe(200);
    const ids = (body.staff as { id: string }[]).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([owner.userId, shopkeeper.userId, added.userId]));
    expect(ids).not.toContain(coOwner.userId);
    expect(ids).not.toContain(elsewhere.userId);
    expect(body.staff.find((m: { id: string }) => m.id === added.userId)).toMatchObject({ role: 'shopkeeper', disabled: true });
    expect((await shopkeeper.request('GET', `/api/stores/${store}/staff`)).status).toBe(403);
    expect((await owner.request('GET', `/api/stores/${otherStore}/staff`)).status).toBe(403);
    expect((await owner.request('GET', `/api/stores/not-a-store/staff`)).status).toBe(400);
  });
});

describe('rate limits', () => {
  it('200 logins a second from one address get 429 with Retry-After; other users are unaffected', async () => {
    const attacker = randomAddress();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => post('/api/auth/login', { username: `owner-${attacker}`, password: 'guess' }, { 'x-forwarded-for': attacker })),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(180);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited[0]!.json()).toMatchObject({ status: 'error', reason: 'rate_limited' });
    // A shopkeeper at another address signs in as usual.
    const other = await post('/api/auth/login', { username: shopkeeper.login.user.username, password: TEST_PASSWORD });
    expect(other.status).toBe(200);
  });

  it('wrong passwords for one username slow its next attempts down, from any address', async () => {
    const victim = await signIn(h, 'owner', [store]);
    const username = victim.login.user.username;
    for (let i = 0; i < 5; i++) expect((await post('/api/auth/login', { username, password: `guess-${i}` })).status).toBe(401);
    const slowed = await post('/api/auth/login', { username, password: TEST_PASSWORD });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('one user flooding pushes is limited without slowing another', async () => {
    const flooder = await signIn(h, 'shopkeeper', [store]);
    // The limit counts before the body is read, so even empty pushes use it up (240 a minute by default).
    const statuses = await Promise.all(Array.from({ length: 260 }, () => flooder.request('POST', '/api/sync/operations/push', []).then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect((await owner.push([op.sale(store, [{ productId: product, quantity: 1 }])])).status).toBe(200);
  });
});

describe('the edge', () => {
  it('sends security headers and refuses CORS preflights from unknown origins', async () => {
    const res = await fetch(`${h.server.url}/api/sync/stock/pull`, { headers: { authorization: `Bearer ${owner.login.accessToken}` } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const preflight = await fetch(`${h.server.url}/api/sync/operations/push`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** A Redis of our own on a free port, so this test can take it away without disturbing others. */
describe('while Redis is unreachable', () => {
  it('the server starts without it, answers 503 with Retry-After, names it in /readyz, and recovers by itself when it returns', async () => {
    const port = await freePort();
    const server = await startServer(
      loadConfig({ PORT: '0', DATABASE_URL: h.database.url, REDIS_URL: `redis://127.0.0.1:${port}`, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }),
    );
    let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
    try {
      const client = new ApiClient(server.url, shopkeeper.login);
      const refused = await client.pull('stock');
      expect(refused).toMatchObject({ status: 503, body: { reason: 'unavailable' } });
      expect(refused.headers.get('retry-after')).toBe('5');
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = await ready.json();
      expect(body).toMatchObject({ reason: 'unavailable', dependencies: { postgres: 'ok', redis: 'unavailable' } });
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);

      redis = await startPrivateRedis(port);
      const end = Date.now() + 20_000;
      while ((await client.pull('stock')).status !== 200) {
        expect(Date.now()).toBeLessThan(end);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ status: 'ready', dependencies: { postgres: 'ok', redis: 'ok' } });
    } finally {
      redis?.process.kill('SIGKILL');
      await server.stop();
    }
  }, 60_000);

  it('fails closed: signed-in requests get 503 (the device keeps its queue), and nothing is applied unchecked', async () => {
    const redis = await startPrivateRedis();
    const server = await startServer(
      loadConfig({ PORT: '0', DATABASE_URL: h.database.url, REDIS_URL: redis.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }),
    );
    try {
      const client = new ApiClient(server.url, shopkeeper.login);
      expect((await client.pull('stock')).status).toBe(200);
      redis.process.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      const sale = op.sale(store, [{ productId: product, quantity: 1 }]);
      const res = await client.push([sale]);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'error', reason: 'unavailable' });
      expect(await countRows(h.sql, 'operations', 'id = $1', [sale.id])).toBe(0);
    } finally {
      redis.process.kill('SIGKILL');
      await server.stop();
    }
  });
});


describe('key rotation', () => {
  it('tokens signed by a retiring key still verify while it is in the ring; new ones use the active key', async () => {
    const next = 'the-next-signing-key-that-is-long-enough-0000';
    const server = await startServer(
      loadConfig({
        PORT: '0',
        DATABASE_URL: h.database.url,
        JWT_KEYS: JSON.stringify({ primary: TEST_JWT_SECRET, next }),
        JWT_ACTIVE_KID: 'next',
        LOG_LEVEL: 'silent',
        CORS_ORIGINS: 'https://app.bazaar.example',
      }),
    );
    try {
      // The token from before the rotation (kid "primary") still works...
      expect((await new ApiClient(server.url, owner.login).pull('stock')).status).toBe(200);
      // ...and a fresh login is signed with the new key.
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://app.bazaar.example' },
        body: JSON.stringify({ username: owner.login.user.username, password: TEST_PASSWORD }),
      });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.bazaar.example');
      const { accessToken } = (await res.json()) as { accessToken: string };
      expect(jwt.decode(accessToken, { complete: true })?.header.kid).toBe('next');
      expect(await pullWith(accessToken)).toBe(401); // the first server never had the new key
    } finally {
      await server.stop();
    }
  });
});

describe('one Redis shared by two deployments (REDIS_KEY_PREFIX)', () => {
  it('keeps them apart: a login slow-down in one does not reach the same username in the other', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await startHarness({ REDIS_URL: services.redis, REDIS_KEY_PREFIX: `a-${tag}:` });
    const b = await startHarness({ REDIS_URL: services.redis, REDIS_KEY_PREFIX: `b-${tag}:` });
    const redis = new Redis(services.redis);
    try {
      const username = `shared-${tag}`;
      const passwordHash = await hashPassword(TEST_PASSWORD);
      for (const x of [a, b]) await createUser(x.sql, { username, passwordHash, role: 'shopkeeper', storeIds: [await createStore(x.sql)] });
      const login = (x: Harness, password: string) =>
        fetch(`${x.server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
          body: JSON.stringify({ username, password }),
        });
      for (let i = 0; i < 5; i++) expect((await login(a, `guess-${i}`)).status).toBe(401);
      expect((await login(a, TEST_PASSWORD)).status).toBe(429);
      expect((await login(b, TEST_PASSWORD)).status).toBe(200);
      expect(await redis.exists(`a-${tag}:bazaar:attempts:login:failures:${username}`)).toBe(1);
    } finally {
      redis.disconnect();
      await a.close();
      await b.close();
    }
  });
});
