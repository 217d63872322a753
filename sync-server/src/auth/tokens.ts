import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Role, type SessionUser } from '@bazaar/shared';
import { z } from 'zod';

export const ISSUER = 'bazaar-sync-server';
export const AUDIENCE = 'bazaar-api';
// Only this algorithm is accepted: a token saying `alg: none` or RS256 is refused.
const ALGORITHMS: jwt.Algorithm[] = ['HS256'];

const AccessClaims = z.object({
  sub: z.uuid(),
  jti: z.string(),
  username: z.string(),
  role: Role,
  stores: z.array(z.uuid()),
  device: z.string().optional(),
  exp: z.number(),
});

export interface AuthenticatedUser extends SessionUser {
  tokenId: string;
  deviceId: string | undefined;
  expiresAt: number;
}

export interface TokenService {
  issueAccessToken(user: SessionUser, deviceId?: string): string;
  newRefreshToken(): string;
  /** The user a token speaks for, or null when it is invalid, expired or not ours. */
  verifyAccessToken(token: string): AuthenticatedUser | null;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  return {
    issueAccessToken(user, deviceId) {
      return jwt.sign(
        { username: user.username, role: user.role, stores: user.storeIds, ...(deviceId ? { device: deviceId } : {}) },
        secret,
        { algorithm: 'HS256', expiresIn: ttlSeconds, issuer: ISSUER, audience: AUDIENCE, subject: user.id, jwtid: randomUUID() },
      );
    },
    newRefreshToken() {
      return randomBytes(32).toString('base64url');
    },
    verifyAccessToken(token) {
      try {
        const payload = jwt.verify(token, secret, { algorithms: ALGORITHMS, issuer: ISSUER, audience: AUDIENCE });
        const claims = AccessClaims.parse(payload);
        return {
          id: claims.sub,
          username: claims.username,
          role: claims.role,
          storeIds: claims.stores,
          tokenId: claims.jti,
          deviceId: claims.device,
          expiresAt: claims.exp,
        };
      } catch {
        return null;
      }
    },
  };
}
