import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER } from '@bazaar/shared';
import { countRows, createStore, signIn, startHarness, TEST_PASSWORD, type ApiClient, type Harness } from '../../test/harness';

// What every endpoint does with bad input, missing tokens and old clients.
let h: Harness;
let store: string;
let owner: ApiClient;

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql);
  owner = await signIn(h, 'owner', [store]);
});
afterAll(() => h?.close());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('login', () => {
  it('answers tokens and the user for the right password', async () => {
    expect(owner.login.user).toMatchObject({ role: 'owner', storeIds: [store] });
    expect(owner.login.accessToken.split('.')).toHaveLength(3);
    expect(owner.login.refreshToken.length).toBeGreaterThan(30);
    // The refresh token is kept hashed, never as sent.
    expect(await countRows(h.sql, 'refresh_tokens', 'token_hash = $1', [owner.login.refreshToken])).toBe(0);
    expect(await countRows(h.sql, 'refresh_tokens', 'user_id = $1', [owner.userId])).toBe(1);
  });

  it('refuses a wrong password or an unknown user alike, and audits the failure', async () => {
    const wrong = await post('/api/auth/login', JSON.stringify({ username: owner.login.user.username, password: `${TEST_PASSWORD}!` }));
    const unknown = await post('/api/auth/login', JSON.stringify({ username: 'nobody', password: TEST_PASSWORD }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(await countRows(h.sql, 'audit_log', `action = 'login.failed'`)).toBe(2);
  });

  it.each([
    ['not JSON', '{"username":'],
    ['missing password', '{"username":"owner"}'],
    ['wrong type', '{"username":"owner","password":42}'],
    ['unknown field', '{"username":"owner","password":"x","admin":true}'],
  ])('answers 400 with a JSON error for %s', async (_what, body) => {
    const res = await post('/api/auth/login', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', reason: 'malformed_request', message: expect.any(String) });
  });
});

describe('every other route', () => {
  it.each([
    ['POST', '/api/sync/operations/push'],
    ['GET', '/api/sync/stock/pull'],
    ['GET', '/api/stores/00000000-0000-4000-8000-000000000000/stock'],
  ])('%s %s needs a bearer token', async (method, path) => {
    const res = await fetch(`${h.server.url}${path}`, { method });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error', reason: 'unauthenticated' });
  });

  it('refuses a tampered token', async () => {
    const [head, payload, sig] = owner.login.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const res = await fetch(`${h.server.url}/api/sync/stock/pull`, { headers: { authorization: `Bearer ${head}.${forged}.${sig}` } });
    expect(res.status).toBe(401);
  });

  it('answers 426 to a client speaking an older protocol', async () => {
    const res = await owner.request('GET', '/api/sync/stock/pull', undefined, { [PROTOCOL_HEADER]: '0' });
    expect(res.status).toBe(426);
    expect(res.body).toMatchObject({ status: 'error', reason: 'protocol_outdated' });
  });

  it('push: an empty array, a non-array and an oversized body are refused', async () => {
    expect((await owner.request('POST', '/api/sync/operations/push', [])).status).toBe(400);
    expect((await owner.request('POST', '/api/sync/operations/push', { newDocumentState: {} })).status).toBe(400);
    const huge = JSON.stringify([{ newDocumentState: { note: 'x'.repeat(2_000_000) }, assumedMasterState: null }]);
    const res = await owner.request('POST', '/api/sync/operations/push', huge);
    expect(res).toMatchObject({ status: 413, body: { reason: 'payload_too_large' } });
  });

  it('stock: a bad store id is 400, another store is 403, an unknown one 404', async () => {
    expect((await owner.request('GET', '/api/stores/not-a-uuid/stock')).status).toBe(400);
    const other = await createStore(h.sql);
    expect((await owner.request('GET', `/api/stores/${other}/stock`)).status).toBe(403);
    const admin = await signIn(h, 'admin', []);
    expect((await admin.request('GET', '/api/stores/00000000-0000-4000-8000-000000000000/stock')).status).toBe(404);
    expect((await owner.request('GET', `/api/stores/${store}/stock`)).body).toMatchObject({ storeId: store, items: [] });
  });

  it('an unknown API route is a JSON 404; health and readiness answer', async () => {
    expect((await owner.request('GET', '/api/nothing-here')).body).toMatchObject({ reason: 'not_found' });
    expect(await (await fetch(`${h.server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${h.server.url}/readyz`)).json()).toEqual({ status: 'ready', dependencies: { postgres: 'ok' } });
  });
});
