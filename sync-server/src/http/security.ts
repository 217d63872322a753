import type { RequestHandler } from 'express';
import { PROTOCOL_HEADER } from '@bazaar/shared';
import { AppError } from './errors';

// The PWA loads only its own files; it may use the camera for barcodes.
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Headers every answer carries; API answers forbid everything a browser could render. */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(self), geolocation=(), microphone=()');
  res.setHeader('content-security-policy', req.path.startsWith('/api/') ? "default-src 'none'; frame-ancestors 'none'" : APP_CSP);
  if (req.path.startsWith('/api/')) res.setHeader('cache-control', 'no-store');
  next();
};

/**
 * Strict CORS: the PWA is served from the API's own origin and needs none.
 * Only origins listed in CORS_ORIGINS get CORS headers; a preflight from any
 * other origin is refused. Tokens travel in headers, never cookies, so no
 * credentials are allowed.
 */
export function cors(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed);
  return (req, res, next) => {
    const origin = req.header('origin');
    res.vary('origin');
    if (!origin) return next();
    if (!origins.has(origin)) {
      if (req.method === 'OPTIONS') throw new AppError('forbidden', `Origin ${origin} is not allowed.`);
      return next();
    }
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', `retry-after, ${PROTOCOL_HEADER}`);
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', `authorization, content-type, ${PROTOCOL_HEADER}`);
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
