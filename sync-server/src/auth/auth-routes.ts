import { createHash, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { LoginRequest, type LoginResponse } from '@bazaar/shared';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { validateBody } from '../http/validate';
import { DUMMY_HASH, verifyPassword } from './password';
import type { TokenService } from './tokens';
import { audit, findUserByUsername, toSessionUser } from './users-repository';

const REFRESH_TOKEN_DAYS = 30;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export function authRoutes(db: Database, tokens: TokenService): Router {
  const router = Router();

  router.post('/login', validateBody(LoginRequest), async (req, res) => {
    const body: LoginRequest = res.locals.body;
    const row = await findUserByUsername(db.pool, body.username);
    // Hash even for an unknown name, so timing does not tell which names exist.
    const ok = await verifyPassword(body.password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled) {
      await audit(db.pool, { actorId: row?.id ?? null, action: 'login.failed', ip: req.ip, details: { username: body.username } });
      throw new AppError('unauthenticated', 'Wrong username or password.');
    }
    const user = toSessionUser(row);
    const refreshToken = tokens.newRefreshToken();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, device_id, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
        [user.id, randomUUID(), hashToken(refreshToken), body.deviceId ?? null, REFRESH_TOKEN_DAYS],
      );
      await audit(tx, { actorId: user.id, action: 'login', ip: req.ip, details: { deviceId: body.deviceId ?? null } });
    });
    const response: LoginResponse = { accessToken: tokens.issueAccessToken(user, body.deviceId), refreshToken, user };
    res.json(response);
  });

  return router;
}
