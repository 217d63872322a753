import type { RequestHandler } from 'express';
import { AppError } from '../http/errors';
import type { AuthenticatedUser, TokenService } from './tokens';

/**
 * Every route but login and health passes here. The token comes from the
 * Authorization header; only the event stream also takes `?access_token=`,
 * because a browser's EventSource cannot send headers.
 */
export function requireUser(tokens: TokenService, options: { allowQueryToken?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header?.startsWith('Bearer ')) token = header.slice('Bearer '.length).trim();
    else if (options.allowQueryToken && typeof req.query.access_token === 'string') token = req.query.access_token;
    if (!token) throw new AppError('unauthenticated', 'Sign in first: no access token was sent.');
    const user = tokens.verifyAccessToken(token);
    if (!user) throw new AppError('unauthenticated', 'The access token is invalid or expired; sign in again.');
    res.locals.user = user;
    next();
  };
}

export function currentUser(res: { locals: Record<string, unknown> }): AuthenticatedUser {
  return res.locals.user as AuthenticatedUser;
}
