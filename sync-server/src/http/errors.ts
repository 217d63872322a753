import type { ErrorRequestHandler } from 'express';
import type { HttpErrorBody, HttpErrorReason } from '@bazaar/shared';

const statusOf: Record<HttpErrorReason, number> = {
  malformed_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  protocol_outdated: 426,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The one error type routes throw; the error middleware turns it into JSON. */
export class AppError extends Error {
  constructor(
    readonly reason: HttpErrorReason,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return statusOf[this.reason];
  }
}

export function errorBody(reason: HttpErrorReason, message: string, details?: unknown): HttpErrorBody {
  return details === undefined ? { status: 'error', reason, message } : { status: 'error', reason, message, details };
}

/** How long a client should wait before retrying a 503, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

// The database cannot be reached, or is shutting down or starting: worth retrying as is.
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);

function databaseUnreachable(err: unknown): boolean {
  const { code, message } = err as { code?: string; message?: string };
  if (code && unreachable.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message ?? '');
}

/** Maps every failure, ours or a library's, to `{status: 'error', reason, message}`. */
export function errorHandler(log: (msg: string, err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof AppError) {
      if (err.status === 503) res.set('retry-after', String(RETRY_AFTER_SECONDS));
      res.status(err.status).json(errorBody(err.reason, err.message, err.details));
      return;
    }
    if (databaseUnreachable(err)) {
      res.set('retry-after', String(RETRY_AFTER_SECONDS));
      res.status(503).json(errorBody('unavailable', 'The database cannot be reached just now; the request can be retried as it is.'));
      return;
    }
    // body-parser's own errors carry `type` and `status`.
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json(errorBody('malformed_request', 'The body is not valid JSON.'));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(errorBody('payload_too_large', 'The body is too large.'));
      return;
    }
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(400).json(errorBody('malformed_request', (err as Error).message));
      return;
    }
    log('unhandled error', err);
    res.status(500).json(errorBody('internal', 'Something went wrong on the server; the request can be retried.'));
  };
}
