import { createHmac, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Role, type SessionUser } from '@bazaar/shared';
import { z } from 'zod';

export const ISSUER = 'bazaar-sync-server';
export const AUDIENCE = 'bazaar-api';
// Only this algorithm is accepted: `alg: none`, RS256 with our secret as a
// "public key", or anything else is refused before the signature is looked at.
const ALGORITHMS: jwt.Algorithm[] = ['HS256'];

const AccessClaims = z.object({
  sub: z.uuid(),
  jti: z.string(),
  /** The session: the refresh token family of one login. */
  sid: z.string(),
  username: z.string(),
  role: Role,
  stores: z.array(z.uuid()),
  device: z.string().optional(),
  /** Issue time in milliseconds: `iat` has only seconds, too coarse for not-before checks. */
  t: z.number(),
  exp: z.number(),
});

export interface AuthenticatedUser extends SessionUser {
  tokenId: string;
  sessionId: string;
  deviceId: string | undefined;
  issuedAtMs: number;
  expiresAt: number;
}

/**
 * Signing keys by id. Tokens are signed with the active key and name it in
 * their `kid` header; every key in the ring verifies, so a key can be rotated
 * in (add it, then make it active) and out (remove it once the tokens it
 * signed have expired) without signing anybody out.
 */
export interface KeyRing {
  activeKid: string;
  keys: Record<string, string>;
}

export interface TokenService {
  issueAccessToken(user: SessionUser, session: { sessionId: string; deviceId?: string | undefined }): string;
  newRefreshToken(): string;
  /**
   * The token that replaces `presented` when it is rotated: derived from it
   * with the active key (HMAC), so a retry within the grace period can be
   * answered the same successor without the server keeping any token but hashed.
   */
  successorRefreshToken(presented: string): string;
  /** What `successorRefreshToken` may have answered, one per key in the ring (a key may have rotated in since). */
  possibleSuccessors(presented: string): string[];
  /** The user a token speaks for, or null when it is malformed, forged, expired or not for us. */
  verifyAccessToken(token: string): AuthenticatedUser | null;
}

// A label of its own, so a successor is never a value the key signs elsewhere.
const successor = (key: KeyObject, presented: string) =>
  createHmac('sha256', key).update(`bazaar refresh successor\n${presented}`).digest('base64url');

export function createTokenService(ring: KeyRing, ttlSeconds: number): TokenService {
  // Key objects made once: given a string, jsonwebtoken tries to parse it as a
  // PEM public key on every verify, which was a sixth of a push's CPU.
  const keys = new Map<string, KeyObject>(Object.entries(ring.keys).map(([kid, secret]) => [kid, createSecretKey(Buffer.from(secret))]));
  const active = keys.get(ring.activeKid);
  if (!active) throw new Error(`no signing key with id ${ring.activeKid}`);
  return {
    issueAccessToken(user, session) {
      return jwt.sign(
        {
          sid: session.sessionId,
          username: user.username,
          role: user.role,
          stores: user.storeIds,
          t: Date.now(),
          ...(session.deviceId ? { device: session.deviceId } : {}),
        },
        active,
        {
          algorithm: 'HS256',
          keyid: ring.activeKid,
          expiresIn: ttlSeconds,
          issuer: ISSUER,
          audience: AUDIENCE,
          subject: user.id,
          jwtid: randomUUID(),
        },
      );
    },
    newRefreshToken() {
      return randomBytes(32).toString('base64url');
    },
    successorRefreshToken(presented) {
      return successor(active, presented);
    },
    possibleSuccessors(presented) {
      return [active, ...[...keys.values()].filter((k) => k !== active)].map((key) => successor(key, presented));
    },
    verifyAccessToken(token) {
      try {
        const decoded = jwt.decode(token, { complete: true });
        const kid = decoded?.header.kid;
        const key = kid === undefined ? undefined : keys.get(kid);
        if (!key) return null;
        const claims = AccessClaims.parse(jwt.verify(token, key, { algorithms: ALGORITHMS, issuer: ISSUER, audience: AUDIENCE }));
        return {
          id: claims.sub,
          username: claims.username,
          role: claims.role,
          storeIds: claims.stores,
          tokenId: claims.jti,
          sessionId: claims.sid,
          deviceId: claims.device,
          issuedAtMs: claims.t,
          expiresAt: claims.exp,
        };
      } catch {
        return null;
      }
    },
  };
}
