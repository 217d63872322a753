import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LoginResponse, RefreshResponse } from '@bazaar/shared';
import { STREAM_LIMITS } from '../sync/stream-route';
import { hashToken, REFRESH_GRACE_SECONDS } from './auth-routes';
import { pruneRefreshTokens } from './sessions-repository';
import {
  ApiClient,
  countRows,
  createStore,
  randomAddress,
  signIn,
  startHarness,
  TEST_PASSWORD,
  type Harness,
} from '../../test/harness';
import { services } from '../../test/services';

// Sessions and devices under the races and abuse of issue 9, against real PostgreSQL and Redis.
let h: Harness;
let karachi: string;
let lahore: string;

beforeAll(async () => {
  h = await startHarness({ REDIS_URL: services.redis, REDIS_KEY_PREFIX: `sessions-${randomUUID().slice(0, 8)}:` });
  [karachi, lahore] = await Promise.all([createStore(h.sql, 'Karachi'), createStore(h.sql, 'Lahore')]);
});
afterAll(() => h?.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress(), ...headers },
    body: JSON.stringify(body),
  });
}
const pullWith = (token: string) =>
  fetch(`${h.server.url}/api/sync/stock/pull`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
const deviceOf = (user: ApiClient) => `device-${user.login.user.username}`;
const refresh = (refreshToken: string, deviceId?: string) => post('/api/auth/refresh', { refreshToken, ...(deviceId ? { deviceId } : {}) });
const login = (username: string, deviceId?: string, password = TEST_PASSWORD) =>
  post('/api/auth/login', { username, password, ...(deviceId ? { deviceId } : {}) });
const familyRevoked = (user: ApiClient) =>
  countRows(h.sql, 'refresh_tokens', 'user_id = $1 AND revoked_at IS NOT NULL', [user.userId]).then((n) => n > 0);
const reuses = (user: ApiClient) => countRows(h.sql, 'audit_log', `action = 'refresh.reused' AND actor_id = $1`, [user.userId]);

describe('1. refresh within the grace period', () => {
  it('a refresh whose answer was lost is retried: the same successor, and the session lives on', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const first = (await (await refresh(user.login.refreshToken, deviceOf(user))).json()) as RefreshResponse;
    // The answer never reached the phone; it sends the same token again.
    const retry = await refresh(user.login.refreshToken, deviceOf(user));
    expect(retry.status).toBe(200);
    const again = (await retry.json()) as RefreshResponse;
    expect(again.refreshToken).toBe(first.refreshToken);
    expect(await pullWith(again.accessToken)).toBe(200);
    expect(await pullWith(first.accessToken)).toBe(200);
    // The successor rotates as usual afterwards.
    expect((await refresh(again.refreshToken, deviceOf(user))).status).toBe(200);
    expect(await familyRevoked(user)).toBe(false);
    expect(await reuses(user)).toBe(0);
  });

  it('two tabs refreshing at the same moment both get the one successor; nothing is revoked', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const answers = await Promise.all(Array.from({ length: 4 }, () => refresh(user.login.refreshToken, deviceOf(user))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const tokens = (await Promise.all(answers.map((a) => a.json()))) as RefreshResponse[];
    expect(new Set(tokens.map((t) => t.refreshToken)).size).toBe(1);
    expect(await countRows(h.sql, 'refresh_tokens', 'user_id = $1', [user.userId])).toBe(2);
    expect(await familyRevoked(user)).toBe(false);
  });

  it('a tab that slept through two rotations is answered the live token at the end of the chain', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const s1 = (await (await refresh(user.login.refreshToken, deviceOf(user))).json()) as RefreshResponse;
    const s2 = (await (await refresh(s1.refreshToken, deviceOf(user))).json()) as RefreshResponse;
    const late = await refresh(user.login.refreshToken, deviceOf(user));
    expect(late.status).toBe(200);
    expect(((await late.json()) as RefreshResponse).refreshToken).toBe(s2.refreshToken);
    expect(await familyRevoked(user)).toBe(false);
  });

  it('the same token from another device, even within the grace, is a copy: the family dies', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const rotated = (await (await refresh(user.login.refreshToken, deviceOf(user))).json()) as RefreshResponse;
    expect((await refresh(user.login.refreshToken, 'a-thiefs-laptop')).status).toBe(401);
    expect((await refresh(user.login.refreshToken)).status).toBe(401);
    expect(await pullWith(rotated.accessToken)).toBe(401);
    expect((await refresh(rotated.refreshToken, deviceOf(user))).status).toBe(401);
    expect(await reuses(user)).toBe(2);
  });

  it(`after the grace (${REFRESH_GRACE_SECONDS} s), presenting a rotated token again still kills the family`, async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const rotated = (await (await refresh(user.login.refreshToken, deviceOf(user))).json()) as RefreshResponse;
    await h.sql.query(`UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $2) WHERE token_hash = $1`, [
      hashToken(user.login.refreshToken),
      REFRESH_GRACE_SECONDS + 1,
    ]);
    expect((await refresh(user.login.refreshToken, deviceOf(user))).status).toBe(401);
    expect(await pullWith(rotated.accessToken)).toBe(401);
    expect((await refresh(rotated.refreshToken, deviceOf(user))).status).toBe(401);
    expect(await reuses(user)).toBe(1);
  });

  it('a logged-out session is not revived by a retry within the grace', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const rotated = (await (await refresh(user.login.refreshToken, deviceOf(user))).json()) as RefreshResponse;
    await new ApiClient(h.server.url, { ...user.login, ...rotated }).request('POST', '/api/auth/logout');
    expect((await refresh(user.login.refreshToken, deviceOf(user))).status).toBe(401);
    expect((await refresh(rotated.refreshToken, deviceOf(user))).status).toBe(401);
  });
});

describe('2. devices belong to users', () => {
  it("a shopkeeper of another store using a Karachi phone's device id cannot get that phone signed out", async () => {
    const phone = await signIn(h, 'shopkeeper', [karachi]);
    const lahoreOwner = await signIn(h, 'owner', [lahore]);
    const intruder = await signIn(h, 'shopkeeper', [lahore]);
    const borrowed = deviceOf(phone);
    expect((await login(intruder.login.user.username, borrowed)).status).toBe(200);

    // Lahore's owner sees and revokes the id as their shopkeeper's device...
    const list = await lahoreOwner.request('GET', `/api/stores/${lahore}/devices`);
    expect(list.body.devices).toContainEqual(expect.objectContaining({ userId: intruder.userId, deviceId: borrowed }));
    expect(list.body.devices).not.toContainEqual(expect.objectContaining({ userId: phone.userId }));
    expect((await lahoreOwner.request('POST', `/api/stores/${lahore}/users/${intruder.userId}/devices/${borrowed}/revoke`)).status).toBe(204);
    // ...and cannot name the Karachi shopkeeper's.
    expect((await lahoreOwner.request('POST', `/api/stores/${lahore}/users/${phone.userId}/devices/${borrowed}/revoke`)).status).toBe(404);

    // The Karachi phone syncs on and signs in again; the intruder's pair is refused.
    expect((await phone.pull('stock')).status).toBe(200);
    expect((await refresh(phone.login.refreshToken, borrowed)).status).toBe(200);
    expect((await login(phone.login.user.username, borrowed)).status).toBe(200);
    expect((await login(intruder.login.user.username, borrowed)).status).toBe(403);
  });

  it("an owner revoking device '-' locks out nobody else, and tokens without a device skip the device check", async () => {
    const owner = await signIn(h, 'owner', [karachi]);
    const manager = await signIn(h, 'manager', [karachi]);
    const deviceless = (await (await login(manager.login.user.username)).json()) as LoginResponse;
    expect((await login(owner.login.user.username, '-')).status).toBe(200);
    expect((await owner.request('POST', `/api/stores/${karachi}/users/${owner.userId}/devices/-/revoke`)).status).toBe(204);
    expect(await pullWith(deviceless.accessToken)).toBe(200);
    expect((await refresh(deviceless.refreshToken)).status).toBe(200);
    expect((await login(owner.login.user.username, '-')).status).toBe(403);
    expect((await login(owner.login.user.username, 'the-owners-tablet')).status).toBe(200);
  });

  it("an owner may revoke their shopkeepers' devices and their own, never a manager's or another owner's", async () => {
    const owner = await signIn(h, 'owner', [karachi]);
    const partner = await signIn(h, 'owner', [karachi]);
    const manager = await signIn(h, 'manager', [karachi]);
    const shopkeeper = await signIn(h, 'shopkeeper', [karachi]);
    const listed = (await owner.request('GET', `/api/stores/${karachi}/devices`)).body.devices as { userId: string }[];
    const users = new Set(listed.map((d) => d.userId));
    expect(users.has(shopkeeper.userId) && users.has(owner.userId)).toBe(true);
    expect(users.has(manager.userId) || users.has(partner.userId)).toBe(false);

    const revoke = (target: ApiClient) => owner.request('POST', `/api/stores/${karachi}/users/${target.userId}/devices/${deviceOf(target)}/revoke`);
    expect((await revoke(manager)).status).toBe(403);
    expect((await revoke(partner)).status).toBe(403);
    expect((await manager.pull('stock')).status).toBe(200);
    expect((await revoke(shopkeeper)).status).toBe(204);
    expect((await shopkeeper.pull('stock')).status).toBe(401);
    expect((await revoke(owner)).status).toBe(204);
    expect((await owner.pull('stock')).status).toBe(401);
    expect(await countRows(h.sql, 'audit_log', `action = 'device.revoked' AND details->>'userId' = $1`, [shopkeeper.userId])).toBe(1);
  });
});

describe('3 and 4. password guesses are counted before they are checked', () => {
  it('8 wrong logins sent at once are answered like 8 in a row: 401 five times, then 429', async () => {
    const victim = await signIn(h, 'owner', [karachi]);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => login(victim.login.user.username, undefined, `guess-${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const slowed = answers.find((a) => a.status === 429)!;
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('a right password forgives the failures before it', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    for (let i = 0; i < 4; i++) expect((await login(user.login.user.username, undefined, `typo-${i}`)).status).toBe(401);
    expect((await login(user.login.user.username)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(user.login.user.username, undefined, `typo-${i}`)).status).toBe(401);
    expect((await login(user.login.user.username)).status).toBe(200);
  });

  it('guessing the current password with a stolen access token is slowed down after five, even all at once', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const change = (currentPassword: string) =>
      user.request('POST', '/api/auth/password', { currentPassword, newPassword: 'a-new-long-password' }, { 'x-forwarded-for': randomAddress() });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => change(`guess-${i}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
    const slowed = answers.find((a) => a.status === 429)!;
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await countRows(h.sql, 'audit_log', `action = 'password.failed' AND actor_id = $1`, [user.userId])).toBe(5);
  });

  it('password changes are limited per user whatever the address (20 a minute by default), counted before the body is read', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await user.request('POST', '/api/auth/password', {}, { 'x-forwarded-for': randomAddress() })).status);
    expect(statuses).toEqual([...Array(20).fill(400), 429]);
  });
});

describe('5. event streams are capped', () => {
  const open = async (token: string) => {
    const controller = new AbortController();
    const res = await fetch(`${h.server.url}/api/sync/stream?access_token=${encodeURIComponent(token)}`, { signal: controller.signal });
    // Hold the response: undici cancels the body of a response that is garbage-collected, which would close the stream.
    return { status: res.status, retryAfter: res.headers.get('retry-after'), response: res, close: () => controller.abort() };
  };
  const until = async (check: () => Promise<boolean>) => {
    const end = Date.now() + 5000;
    while (!(await check())) {
      expect(Date.now()).toBeLessThan(end);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it(`${STREAM_LIMITS.perSession} per session: the next is refused with 429 and Retry-After, and a closed one frees its place`, async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const streams = await Promise.all(Array.from({ length: STREAM_LIMITS.perSession }, () => open(user.login.accessToken)));
    expect(streams.map((s) => s.status)).toEqual(Array(STREAM_LIMITS.perSession).fill(200));
    const refused = await open(user.login.accessToken);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    streams[0]!.close();
    let reopened: Awaited<ReturnType<typeof open>> | undefined;
    await until(async () => {
      reopened?.close();
      reopened = await open(user.login.accessToken);
      return reopened.status === 200;
    });
    for (const s of [...streams, reopened!]) s.close();
  });

  it(`${STREAM_LIMITS.perUser} per user across their sessions`, async () => {
    const user = await signIn(h, 'manager', [karachi]);
    // One after the other: logins at once are counted as guesses until their passwords are checked.
    const sessions: string[] = [];
    for (let i = 0; i <= STREAM_LIMITS.perUser; i++) sessions.push(((await (await login(user.login.user.username)).json()) as LoginResponse).accessToken);
    const streams = [];
    for (const token of sessions.slice(0, -1)) streams.push(await open(token));
    expect(streams.map((s) => s.status)).toEqual(Array(STREAM_LIMITS.perUser).fill(200));
    expect((await open(sessions.at(-1)!)).status).toBe(429);
    // Another user is not affected.
    const other = await signIn(h, 'shopkeeper', [karachi]);
    const theirs = await open(other.login.accessToken);
    expect(theirs.status).toBe(200);
    for (const s of [...streams, theirs]) s.close();
  });
});

describe('6. X-Forwarded-For is believed only from TRUST_PROXY', () => {
  /** Three failed logins, each claiming another client address, against a server allowing two a minute per address. */
  async function threeClaimedAddresses(trustProxy: string): Promise<number[]> {
    const server = await startHarness({ REDIS_URL: services.redis, RATE_LIMIT_LOGIN_PER_MIN: '2', REDIS_KEY_PREFIX: `xff-${randomUUID().slice(0, 8)}:`, TRUST_PROXY: trustProxy });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
          body: JSON.stringify({ username: `nobody-${i}`, password: 'x' }),
        });
        statuses.push(res.status);
      }
      return statuses;
    } finally {
      await server.close();
    }
  }

  it('by default a client cannot pick its rate-limit identity', async () => {
    expect(await threeClaimedAddresses('')).toEqual([401, 401, 429]);
  });

  it('behind a trusted ingress, each forwarded client has its own limit', async () => {
    expect(await threeClaimedAddresses('127.0.0.1/32')).toEqual([401, 401, 401]);
  });
});

describe('7. what was read and confirmed', () => {
  it('a refresh racing a password change does not leave the refreshed session alive', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    // Hold the refresh token's row, so both requests arrive and wait at their worst moment.
    const holder = new pg.Client({ connectionString: h.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [hashToken(user.login.refreshToken)]);
      const refreshed = refresh(user.login.refreshToken, deviceOf(user));
      const changed = user.request('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-new-long-password' });
      const end = Date.now() + 10_000;
      while ((await countRows(h.sql, 'pg_stat_activity', `datname = current_database() AND wait_event_type = 'Lock'`)) < 2) {
        expect(Date.now()).toBeLessThan(end);
        await new Promise((r) => setTimeout(r, 20));
      }
      await holder.query('COMMIT');
      const [refreshAnswer, changeAnswer] = await Promise.all([refreshed, changed]);
      expect(changeAnswer.status).toBe(204);
      if (refreshAnswer.status === 200) {
        const tokens = (await refreshAnswer.json()) as RefreshResponse;
        expect(await pullWith(tokens.accessToken)).toBe(401);
        expect((await refresh(tokens.refreshToken, deviceOf(user))).status).toBe(401);
      } else {
        expect(refreshAnswer.status).toBe(401);
      }
      expect(await countRows(h.sql, 'refresh_tokens', 'user_id = $1 AND revoked_at IS NULL AND used_at IS NULL', [user.userId])).toBe(0);
    } finally {
      await holder.end();
    }
  });

  it('expired refresh tokens are pruned; live ones and recently expired ones stay', async () => {
    const user = await signIn(h, 'shopkeeper', [karachi]);
    const insert = (expires: string) =>
      h.sql.query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, gen_random_uuid(), $2, now() + $3::interval)`,
        [user.userId, randomUUID(), expires],
      );
    await Promise.all([insert('-40 days'), insert('-2 days'), insert('-1 hour'), insert('10 days')]);
    const before = await countRows(h.sql, 'refresh_tokens', 'user_id = $1', [user.userId]);
    await pruneRefreshTokens(h.server.db.pool, 10_000);
    expect(await countRows(h.sql, 'refresh_tokens', 'user_id = $1', [user.userId])).toBe(before - 2);
    expect(await countRows(h.sql, 'refresh_tokens', `expires_at < now() - interval '1 day'`)).toBe(0);
    expect((await refresh(user.login.refreshToken, deviceOf(user))).status).toBe(200);
  });

  it("the devices listing reads the store's users through an index, not every refresh token", async () => {
    const { rows } = await h.sql.query(`SELECT indexname FROM pg_indexes WHERE tablename IN ('user_stores', 'devices')`);
    expect(rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['user_stores_store', 'user_devices_pkey']));
  });
});
