import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, StoreList, UserList, type LoginResponse, type RefreshResponse } from '@bazaar/shared';
import { ApiClient, countRows, createStore, randomAddress, signIn, startHarness, TEST_PASSWORD, type Harness } from '../../test/harness';

// The admin's stores and users against real PostgreSQL: every change audited,
// a manager who watches a region sees every store in it (and only those),
// tokens follow a change at the next refresh.
let h: Harness;
let admin: ApiClient;

const post = (path: string, body: unknown) =>
  fetch(`${h.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'x-forwarded-for': randomAddress() },
    body: JSON.stringify(body),
  });

async function login(username: string): Promise<LoginResponse> {
  const res = await post('/api/auth/login', { username, password: TEST_PASSWORD, deviceId: `device-${username}` });
  expect(res.status).toBe(200);
  return (await res.json()) as LoginResponse;
}

beforeAll(async () => {
  h = await startHarness();
  admin = await signIn(h, 'admin', []);
});
afterAll(() => h?.close());

describe('stores', () => {
  it('adds a store with its time zone, lists it with its owners, and edits it; each change audited with its before', async () => {
    const created = await admin.request('POST', '/api/stores', { name: 'Anarkali General Store', city: 'Lahore', region: 'Punjab', timeZone: 'Asia/Karachi' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const owner = await signIn(h, 'owner', [id]);

    const listed = StoreList.parse((await admin.request('GET', '/api/stores?q=anarkali')).body);
    expect(listed.rows).toEqual([expect.objectContaining({ id, name: 'Anarkali General Store', city: 'Lahore', region: 'Punjab', timeZone: 'Asia/Karachi', owners: [{ id: owner.userId, username: owner.login.user.username }] })]);

    const edited = await admin.request('PUT', `/api/stores/${id}`, { name: 'Anarkali Store', city: null, region: 'Punjab', timeZone: 'Asia/Dubai' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Anarkali Store', city: null, timeZone: 'Asia/Dubai' });
    const { rows } = await h.sql.query(`SELECT details FROM audit_log WHERE action = 'store.updated' AND store_id = $1`, [id]);
    expect(rows[0].details).toMatchObject({ before: { name: 'Anarkali General Store' }, after: { name: 'Anarkali Store' } });
    expect((await admin.request('GET', '/api/stores/regions')).body.regions).toContain('Punjab');
  });

  it('a time zone nobody knows, a name left empty or an unknown store is a clear 400 or 404 that changes nothing; only admins', async () => {
    const id = await createStore(h.sql, 'Zone Test');
    const bad = await admin.request('PUT', `/api/stores/${id}`, { name: 'Zone Test', timeZone: 'Mars/Olympus' });
    expect(bad).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect(JSON.stringify(bad.body.details)).toMatch(/time zone/);
    expect((await admin.request('PUT', `/api/stores/${id}`, { name: '  ', timeZone: 'Asia/Karachi' })).status).toBe(400);
    expect((await admin.request('POST', '/api/stores', { name: 'X', timeZone: 'Karachi' })).status).toBe(400);
    expect((await admin.request('PUT', `/api/stores/${randomUUID()}`, { name: 'Gone', timeZone: 'Asia/Karachi' })).status).toBe(404);
    const owner = await signIn(h, 'owner', [id]);
    expect((await owner.request('PUT', `/api/stores/${id}`, { name: 'Mine now', timeZone: 'Asia/Karachi' })).status).toBe(403);
    expect((await owner.request('GET', '/api/stores')).status).toBe(403);
    const { rows } = await h.sql.query('SELECT name, time_zone FROM stores WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ name: 'Zone Test', time_zone: 'Asia/Karachi' });
  });
});

describe('users', () => {
  it('a manager of a region sees every store in it, one moved in at the next refresh, and none outside it', async () => {
    const sindh = (await admin.request('POST', '/api/stores', { name: 'Saddar Mart', region: `Sindh-${randomUUID().slice(0, 6)}` })).body;
    const elsewhere = (await admin.request('POST', '/api/stores', { name: 'Far Away', region: 'Balochistan' })).body;
    const username = `regional-${randomUUID().slice(0, 6)}`;
    const created = await admin.request('POST', '/api/users', { username, password: TEST_PASSWORD, role: 'manager', storeIds: [], regions: [sindh.region] });
    expect(created.status).toBe(201);

    const first = await login(username);
    expect(first.user.storeIds).toEqual([sindh.id]);
    const manager = new ApiClient(h.server.url, first);
    expect((await manager.request('GET', `/api/dashboard/overview?storeIds=${sindh.id}`)).status).toBe(200);
    expect((await manager.request('GET', `/api/dashboard/overview?storeIds=${elsewhere.id}`)).status).toBe(403);

    // The admin moves the far store into the region: the manager's token is spent, the refresh names it.
    const moved = await admin.request('PUT', `/api/stores/${elsewhere.id}`, { name: 'Far Away', region: sindh.region, timeZone: 'Asia/Karachi' });
    expect(moved.status).toBe(200);
    expect((await manager.request('GET', `/api/dashboard/overview?storeIds=${sindh.id}`)).status).toBe(401);
    const refreshed = (await (await post('/api/auth/refresh', { refreshToken: first.refreshToken, deviceId: `device-${username}` })).json()) as RefreshResponse;
    const again = new ApiClient(h.server.url, { ...first, ...refreshed });
    expect((await again.request('GET', `/api/dashboard/overview?storeIds=${elsewhere.id}`)).status).toBe(200);
  });

  it('lists users by role with their stores and regions; access is replaced, audited, and takes effect at the next refresh', async () => {
    const a = await createStore(h.sql, 'Access A');
    const b = await createStore(h.sql, 'Access B');
    const owner = await signIn(h, 'owner', [a]);
    const listed = UserList.parse((await admin.request('GET', `/api/users?q=${owner.login.user.username}&role=owner`)).body);
    expect(listed.rows).toEqual([expect.objectContaining({ id: owner.userId, role: 'owner', stores: [{ id: a, name: 'Access A' }], regions: [], disabled: false })]);

    expect((await admin.request('PUT', `/api/users/${owner.userId}/access`, { storeIds: [b] })).status).toBe(204);
    expect((await owner.request('GET', `/api/stores/${a}/staff`)).status).toBe(401);
    const after = UserList.parse((await admin.request('GET', `/api/users?q=${owner.login.user.username}`)).body).rows[0];
    expect(after?.stores.map((x) => x.id)).toEqual([b]);
    expect(await countRows(h.sql, 'audit_log', `action = 'user.access_changed' AND details->>'userId' = $1`, [owner.userId])).toBe(1);

    // Regions are for managers; stores must exist; nobody but an admin changes access.
    expect((await admin.request('PUT', `/api/users/${owner.userId}/access`, { storeIds: [b], regions: ['Punjab'] })).status).toBe(400);
    expect((await admin.request('PUT', `/api/users/${owner.userId}/access`, { storeIds: [randomUUID()] })).status).toBe(400);
    expect((await admin.request('PUT', `/api/users/${randomUUID()}/access`, { storeIds: [] })).status).toBe(404);
    const fresh = await signIn(h, 'owner', [b]);
    expect((await fresh.request('PUT', `/api/users/${owner.userId}/access`, { storeIds: [a, b] })).status).toBe(403);
    expect((await fresh.request('GET', '/api/users')).status).toBe(403);
    expect(UserList.parse((await admin.request('GET', `/api/users?q=${owner.login.user.username}`)).body).rows[0]?.stores.map((x) => x.id)).toEqual([b]);
  });

  it('a disabled user is signed out and kept out until enabled again', async () => {
    const store = await createStore(h.sql);
    const shopkeeper = await signIn(h, 'shopkeeper', [store]);
    expect((await admin.request('POST', `/api/users/${shopkeeper.userId}/disable`)).status).toBe(204);
    expect((await post('/api/auth/login', { username: shopkeeper.login.user.username, password: TEST_PASSWORD })).status).toBe(401);
    expect((await admin.request('POST', `/api/users/${shopkeeper.userId}/enable`)).status).toBe(204);
    expect(UserList.parse((await admin.request('GET', `/api/users?q=${shopkeeper.login.user.username}`)).body).rows[0]?.disabled).toBe(false);
    await login(shopkeeper.login.user.username);
  });
});
