import { createHash, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import {
  ChangePasswordRequest,
  LoginRequest,
  RefreshRequest,
  type LoginResponse,
  type StoreSummary,
  type RefreshResponse,
  type SessionUser,
} from '@bazaar/shared';
import type { Database, Queryable } from '../db/database';
import { AppError } from '../http/errors';
import { rateLimit, tooMany, type RateLimiter, type Rule } from '../http/rate-limit';
import { validateBody } from '../http/validate';
import type { AttemptGuard, AttemptKind } from './attempt-guard';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { currentUser, type RequireUser } from './require-user';
import type { RevocationStore } from './revocation';
import {
  insertRefreshToken,
  isDeviceRevoked,
  lockRefreshToken,
  markRefreshTokenUsed,
  refreshTokenOwner,
  revokeFamily,
  revokeUserSessions,
  touchDevice,
  type RefreshTokenRow,
} from './sessions-repository';
import type { TokenService } from './tokens';
import { audit, findUserById, findUserByUsername, lockUserRow, toSessionUser } from './users-repository';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * How long a rotated refresh token still answers its successor (same device
 * only): long enough for a lost answer to be retried on a slow network and for
 * a second tab to lose a race, short enough that a copied token is of no use.
 */
export const REFRESH_GRACE_SECONDS = 30;
const MAX_GRACE_STEPS = 5;

type RefreshOutcome =
  | { ok: true; user: SessionUser; sessionId: string; deviceId: string | undefined; refreshToken: string }
  | { ok: false; why: 'unknown' | 'revoked' | 'disabled' | 'expired' | 'device revoked' }
  | { ok: false; why: 'reused'; sessionId: string };

export interface AuthDeps {
  db: Database;
  tokens: TokenService;
  revocations: RevocationStore;
  attempts: AttemptGuard;
  limiter: RateLimiter;
  requireUser: RequireUser;
  limits: { login: Rule; refresh: Rule; password: Rule };
}

export function authRoutes(deps: AuthDeps): Router {
  const { db, tokens, revocations, attempts } = deps;
  const router = Router();

  /** Counts a password attempt before the password is checked; 429 with Retry-After while the account is slowed down. */
  async function countAttempt(res: Response, kind: AttemptKind, account: string): Promise<void> {
    const wait = await attempts.attempt(kind, account);
    if (wait > 0) {
      res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
      throw tooMany(wait);
    }
  }

  /** A new session (refresh family) for a user on a device: both tokens. */
  async function openSession(user: SessionUser, deviceId: string | undefined, req: Request): Promise<LoginResponse> {
    const refreshToken = tokens.newRefreshToken();
    const sessionId = randomUUID();
    await db.transaction(async (tx) => {
      await insertRefreshToken(tx, { userId: user.id, familyId: sessionId, tokenHash: hashToken(refreshToken), deviceId: deviceId ?? null });
      await audit(tx, { actorId: user.id, action: 'login', ip: req.ip, details: { deviceId: deviceId ?? null, sessionId } });
    });
    const { rows: stores } = await db.pool.query<StoreSummary>('SELECT id, name, city FROM stores WHERE id = ANY($1) ORDER BY name, id', [user.storeIds]);
    return { accessToken: tokens.issueAccessToken(user, { sessionId, deviceId }), refreshToken, user, stores };
  }

  router.post('/login', rateLimit(deps.limiter, 'login', { perIp: deps.limits.login }), validateBody(LoginRequest), async (req, res) => {
    const body: LoginRequest = res.locals.body;
    await countAttempt(res, 'login', body.username);
    const row = await findUserByUsername(db.pool, body.username);
    // Hash even for an unknown name, so timing does not tell which names exist.
    const ok = await verifyPassword(body.password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled) {
      await attempts.failed('login', body.username);
      await audit(db.pool, { actorId: row?.id ?? null, action: 'login.failed', ip: req.ip, details: { username: body.username } });
      throw new AppError('unauthenticated', 'Wrong username or password.');
    }
    await attempts.succeeded('login', body.username);
    if (body.deviceId && !(await touchDevice(db.pool, row.id, body.deviceId, req.header('user-agent')))) {
      await audit(db.pool, { actorId: row.id, action: 'login.revoked_device', ip: req.ip, details: { deviceId: body.deviceId } });
      throw new AppError('forbidden', 'This device was removed by the store owner; ask them to sign it in again.');
    }
    res.json(await openSession(toSessionUser(row), body.deviceId, req));
  });

  /**
   * Rotation with reuse detection: a refresh token is exchanged once for a
   * successor. Presented again within REFRESH_GRACE_SECONDS of that, from the
   * same device (a retry whose answer was lost, or a second tab that raced the
   * first), it is answered the same successor, or that successor's own if it
   * has rotated since: nothing new is issued. Presented again later, or from
   * another device, it was copied: the whole family (the session) dies,
   * including its live access tokens.
   */
  router.post('/refresh', rateLimit(deps.limiter, 'refresh', { perIp: deps.limits.refresh }), validateBody(RefreshRequest), async (req, res) => {
    const body: RefreshRequest = res.locals.body;
    const outcome = await db.transaction(async (tx): Promise<RefreshOutcome> => {
      const owner = await refreshTokenOwner(tx, hashToken(body.refreshToken));
      if (!owner) return { ok: false, why: 'unknown' };
      // The user first, then the token: a password change, disable or role
      // change in flight finishes first, and this refresh then sees its result.
      await lockUserRow(tx, owner);
      const token = await lockRefreshToken(tx, { hash: hashToken(body.refreshToken) }, REFRESH_GRACE_SECONDS);
      if (!token) return { ok: false, why: 'unknown' };
      if (token.revoked_at && !token.used_at) return { ok: false, why: 'revoked' };
      const user = await findUserById(tx, token.user_id);
      if (!user || user.disabled) return { ok: false, why: 'disabled' };
      const session = { user: toSessionUser(user), sessionId: token.family_id, deviceId: token.device_id ?? undefined };
      if (token.used_at) {
        const successor = token.in_grace && token.device_id === (body.deviceId ?? null) ? await liveSuccessor(tx, token, body.refreshToken) : null;
        if (successor) {
          await audit(tx, { actorId: user.id, action: 'refresh.repeated', ip: req.ip, details: { sessionId: token.family_id } });
          return { ok: true, ...session, refreshToken: successor };
        }
        const revoked = await revokeFamily(tx, token.family_id);
        await audit(tx, { actorId: token.user_id, action: 'refresh.reused', ip: req.ip, details: { sessionId: token.family_id, revoked: revoked.length } });
        return { ok: false, why: 'reused', sessionId: token.family_id };
      }
      if (token.expired) return { ok: false, why: 'expired' };
      if (token.device_id && (await isDeviceRevoked(tx, user.id, token.device_id))) return { ok: false, why: 'device revoked' };
      const next = tokens.successorRefreshToken(body.refreshToken);
      const id = await insertRefreshToken(tx, { userId: user.id, familyId: token.family_id, tokenHash: hashToken(next), deviceId: token.device_id });
      await markRefreshTokenUsed(tx, token.id, id);
      await audit(tx, { actorId: user.id, action: 'refresh', ip: req.ip, details: { sessionId: token.family_id } });
      return { ok: true, ...session, refreshToken: next };
    });
    if (!outcome.ok) {
      if (outcome.why === 'reused') await revocations.revokeSession(outcome.sessionId!);
      throw new AppError('unauthenticated', 'This sign-in has ended; sign in again.');
    }
    const response: RefreshResponse = {
      accessToken: tokens.issueAccessToken(outcome.user, { sessionId: outcome.sessionId, deviceId: outcome.deviceId }),
      refreshToken: outcome.refreshToken,
    };
    res.json(response);
  });

  /**
   * The live token a rotation within the grace led to: follows `replaced_by`
   * while each step was itself rotated within the grace, re-deriving each
   * successor from its predecessor (only hashes are stored). Null when the
   * chain ends in a revoked or expired token, or leaves the grace.
   */
  async function liveSuccessor(tx: Queryable, from: RefreshTokenRow, presented: string): Promise<string | null> {
    let row = from;
    let plain = presented;
    for (let step = 0; step < MAX_GRACE_STEPS && row.used_at && row.in_grace && row.replaced_by; step++) {
      const next = await lockRefreshToken(tx, { id: row.replaced_by }, REFRESH_GRACE_SECONDS);
      const derived = next && tokens.possibleSuccessors(plain).find((candidate) => hashToken(candidate) === next.token_hash);
      if (!next || !derived) return null;
      [row, plain] = [next, derived];
    }
    return !row.used_at && !row.revoked_at && !row.expired ? plain : null;
  }

  router.post('/logout', deps.requireUser, async (req, res) => {
    const user = currentUser(res);
    await db.transaction(async (tx) => {
      await revokeFamily(tx, user.sessionId);
      await audit(tx, { actorId: user.id, action: 'logout', ip: req.ip, details: { sessionId: user.sessionId } });
    });
    await revocations.revokeSession(user.sessionId);
    res.status(204).end();
  });

  // Throttled like logins (a stolen access token must not become a password oracle): per address, per user, and slowed down after failures.
  const passwordLimit = rateLimit(deps.limiter, 'password', { perIp: deps.limits.login, perUser: deps.limits.password });
  router.post('/password', deps.requireUser, passwordLimit, validateBody(ChangePasswordRequest), async (req, res) => {
    const user = currentUser(res);
    const body: ChangePasswordRequest = res.locals.body;
    await countAttempt(res, 'password', user.id);
    const row = await findUserById(db.pool, user.id);
    if (!row || !(await verifyPassword(body.currentPassword, row.password_hash))) {
      await attempts.failed('password', user.id);
      await audit(db.pool, { actorId: user.id, action: 'password.failed', ip: req.ip });
      throw new AppError('forbidden', 'The current password is wrong.');
    }
    await attempts.succeeded('password', user.id);
    const hash = await hashPassword(body.newPassword);
    await db.transaction(async (tx) => {
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, hash]);
      await revokeUserSessions(tx, user.id);
      await audit(tx, { actorId: user.id, action: 'password.changed', ip: req.ip });
    });
    // Every session of this user ends, this one included: sign in with the new password.
    await revocations.revokeUserTokens(user.id);
    res.status(204).end();
  });

  return router;
}
