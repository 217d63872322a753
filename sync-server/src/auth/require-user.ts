import type { RequestHandler } from 'express';
import { AppError } from '../http/errors';
import type { RevocationStore } from './revocation';
import type { AuthenticatedUser, TokenService } from './tokens';

export type RequireUser = RequestHandler;

/**
 * The gateway in front of every route but login, refresh and health: a valid
 * access token (signature, algorithm, issuer, audience, expiry) that nobody
 * revoked. The token comes from the Authorization header; only the event
 * stream also takes `?access_token=`, as a browser's EventSource cannot send
 * headers.
 */
export function requireUser(tokens: TokenService, revocations: RevocationStore, options: { allowQueryToken?: boolean } = {}): RequireUser {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header?.startsWith('Bearer ')) token = header.slice('Bearer '.length).trim();
    else if (options.allowQueryToken && typeof req.query.access_token === 'string') token = req.query.access_token;
    if (!token) throw new AppError('unauthenticated', 'Sign in first: no access token was sent.');
    const user = tokens.verifyAccessToken(token);
    if (!user) throw new AppError('unauthenticated', 'The access token is invalid or expired; sign in again.');
    if (await revocations.isRevoked(user)) throw new AppError('unauthenticated', 'This sign-in was ended; sign in again.');
    res.locals.user = user;
    next();
  };
}

export function currentUser(res: { locals: Record<string, unknown> }): AuthenticatedUser {
  return res.locals.user as AuthenticatedUser;
}
