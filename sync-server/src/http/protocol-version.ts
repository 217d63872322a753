import type { RequestHandler } from 'express';
import { MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@bazaar/shared';
import { AppError } from './errors';

/**
 * A client that names an older protocol than we still speak gets 426, so an
 * outdated app shell can tell its user to update instead of failing oddly.
 * A client that names none is taken to speak the current one. A supported
 * older one is answered in its own protocol (see `forProtocol`).
 */
export const checkProtocolVersion: RequestHandler = (req, res, next) => {
  res.setHeader(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
  const sent = req.header(PROTOCOL_HEADER);
  res.locals.protocolVersion = PROTOCOL_VERSION;
  if (sent === undefined) return next();
  const version = Number(sent);
  if (!Number.isInteger(version)) throw new AppError('malformed_request', `${PROTOCOL_HEADER} must be an integer.`);
  if (version < MIN_SUPPORTED_PROTOCOL_VERSION) {
    throw new AppError('protocol_outdated', 'This app is too old for the server: update it to keep syncing.', {
      minimum: MIN_SUPPORTED_PROTOCOL_VERSION,
      current: PROTOCOL_VERSION,
    });
  }
  res.locals.protocolVersion = Math.min(version, PROTOCOL_VERSION);
  next();
};

/** The protocol the caller speaks (checked above): documents are shaped for it. */
export const protocolOf = (res: { locals: Record<string, unknown> }): number => (res.locals.protocolVersion as number | undefined) ?? PROTOCOL_VERSION;
