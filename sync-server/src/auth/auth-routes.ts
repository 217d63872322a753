import { createHash, randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  ChangePasswordRequest,
  LoginRequest,
  RefreshRequest,
  type LoginResponse,
  type StoreSummary,
  type RefreshResponse,
  type SessionUser,
} from '@bazaar/shared';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { rateLimit, tooMany, type RateLimiter, type Rule } from '../http/rate-limit';
import { validateBody } from '../http/validate';
import type { LoginGuard } from './login-guard';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { currentUser, type RequireUser } from './require-user';
import type { RevocationStore } from './revocation';
import {
  insertRefreshToken,
  isDeviceRevoked,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
  revokeUserSessions,
  touchDevice,
} from './sessions-repository';
import type { TokenService } from './tokens';
import { audit, findUserById, findUserByUsername, toSessionUser } from './users-repository';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export interface AuthDeps {
  db: Database;
  tokens: TokenService;
  revocations: RevocationStore;
  loginGuard: LoginGuard;
  limiter: RateLimiter;
  requireUser: RequireUser;
  limits: { login: Rule; refresh: Rule };
}

export function authRoutes(deps: AuthDeps): Router {
  const { db, tokens, revocations, loginGuard } = deps;
  const router = Router();

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
    const wait = await loginGuard.waitFor(body.username);
    if (wait > 0) {
      res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
      throw tooMany(wait);
    }
    const row = await findUserByUsername(db.pool, body.username);
    // Hash even for an unknown name, so timing does not tell which names exist.
    const ok = await verifyPassword(body.password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled) {
      await loginGuard.failed(body.username);
      await audit(db.pool, { actorId: row?.id ?? null, action: 'login.failed', ip: req.ip, details: { username: body.username } });
      throw new AppError('unauthenticated', 'Wrong username or password.');
    }
    await loginGuard.succeeded(body.username);
    if (body.deviceId && !(await touchDevice(db.pool, body.deviceId, row.id, req.header('user-agent')))) {
      await audit(db.pool, { actorId: row.id, action: 'login.revoked_device', ip: req.ip, details: { deviceId: body.deviceId } });
      throw new AppError('forbidden', 'This device was removed by the store owner; ask them to sign it in again.');
    }
    res.json(await openSession(toSessionUser(row), body.deviceId, req));
  });

  /**
   * Rotation with reuse detection: every refresh token works once. Presenting
   * one that was already used means it was copied, so the whole family (the
   * session) dies, including its live access tokens.
   */
  router.post('/refresh', rateLimit(deps.limiter, 'refresh', { perIp: deps.limits.refresh }), validateBody(RefreshRequest), async (req, res) => {
    const { refreshToken }: RefreshRequest = res.locals.body;
    const next = tokens.newRefreshToken();
    const outcome = await db.transaction(async (tx) => {
      const token = await lockRefreshToken(tx, hashToken(refreshToken));
      if (!token) return { ok: false as const, why: 'unknown' };
      if (token.revoked_at && !token.used_at) return { ok: false as const, why: 'revoked' };
      if (token.used_at) {
        const revoked = await revokeFamily(tx, token.family_id);
        await audit(tx, { actorId: token.user_id, action: 'refresh.reused', ip: req.ip, details: { sessionId: token.family_id, revoked: revoked.length } });
        return { ok: false as const, why: 'reused', sessionId: token.family_id };
      }
      if (token.expired) return { ok: false as const, why: 'expired' };
      const user = await findUserById(tx, token.user_id);
      if (!user || user.disabled) return { ok: false as const, why: 'disabled' };
      if (token.device_id && (await isDeviceRevoked(tx, token.device_id))) return { ok: false as const, why: 'device revoked' };
      const id = await insertRefreshToken(tx, { userId: user.id, familyId: token.family_id, tokenHash: hashToken(next), deviceId: token.device_id });
      await markRefreshTokenUsed(tx, token.id, id);
      await audit(tx, { actorId: user.id, action: 'refresh', ip: req.ip, details: { sessionId: token.family_id } });
      return { ok: true as const, user: toSessionUser(user), sessionId: token.family_id, deviceId: token.device_id ?? undefined };
    });
    if (!outcome.ok) {
      if (outcome.why === 'reused') await revocations.revokeSession(outcome.sessionId!);
      throw new AppError('unauthenticated', 'This sign-in has ended; sign in again.');
    }
    const response: RefreshResponse = {
      accessToken: tokens.issueAccessToken(outcome.user, { sessionId: outcome.sessionId, deviceId: outcome.deviceId }),
      refreshToken: next,
    };
    res.json(response);
  });

  router.post('/logout', deps.requireUser, async (req, res) => {
    const user = currentUser(res);
    await db.transaction(async (tx) => {
      await revokeFamily(tx, user.sessionId);
      await audit(tx, { actorId: user.id, action: 'logout', ip: req.ip, details: { sessionId: user.sessionId } });
    });
    await revocations.revokeSession(user.sessionId);
    res.status(204).end();
  });

  router.post('/password', deps.requireUser, validateBody(ChangePasswordRequest), async (req, res) => {
    const user = currentUser(res);
    const body: ChangePasswordRequest = res.locals.body;
    const row = await findUserById(db.pool, user.id);
    if (!row || !(await verifyPassword(body.currentPassword, row.password_hash))) {
      throw new AppError('forbidden', 'The current password is wrong.');
    }
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
