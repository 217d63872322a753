import { ApiError } from './api';

/** Pushes stay far below the server's body limit (MAX_BODY_BYTES): a slow network finishes a small one sooner. */
export const PUSH_TARGET_BYTES = 256 * 1024;

/**
 * Answers the server gives a request that will never change by resending
 * it: malformed (400), not allowed (403), unknown (404), unprocessable (422),
 * each only when our server said so in its own error body (a proxy's error
 * page is no verdict on the operations), and too large (413) from anyone
 * (an ingress's body limit is as final as ours). Everything else (no
 * network, 401 before a refresh, 426 until the app updates, 429, 5xx) is
 * worth retrying.
 */
export function isRefusedForGood(err: unknown): err is ApiError {
  if (!(err instanceof ApiError)) return false;
  if (err.status === 413) return true;
  return [400, 403, 404, 422].includes(err.status) && err.fromServer;
}

/** Consecutive runs of `items` whose sizes add up to at most `max` (one item alone may exceed it). */
export function chunksBySize<T>(items: readonly T[], size: (item: T) => number, max: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && bytes + n > max) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface PushOutcome<T> {
  /** What the server answered for the rows it took (conflicts' master documents). */
  answers: unknown[];
  /** Rows the server refused for good, each alone, with its error. */
  refused: { item: T; error: ApiError }[];
}

/**
 * Sends `items` in order, in chunks under the byte target. When the server
 * refuses a chunk for good, the chunk is halved until the rows responsible
 * are found alone; the rest is sent. One odd operation therefore never holds
 * back the sales queued beside it. Transient failures throw: the caller
 * retries the whole batch later, which the server's idempotency (R1) allows.
 */
export async function pushInChunks<T>(
  items: readonly T[],
  send: (chunk: T[]) => Promise<unknown[]>,
  size: (item: T) => number,
  maxBytes = PUSH_TARGET_BYTES,
): Promise<PushOutcome<T>> {
  const outcome: PushOutcome<T> = { answers: [], refused: [] };
  const attempt = async (chunk: T[]): Promise<void> => {
    try {
      outcome.answers.push(...(await send(chunk)));
    } catch (err) {
      if (!isRefusedForGood(err)) throw err;
      if (chunk.length === 1) {
        outcome.refused.push({ item: chunk[0]!, error: err });
        return;
      }
      const half = Math.ceil(chunk.length / 2);
      await attempt(chunk.slice(0, half));
      await attempt(chunk.slice(half));
    }
  };
  for (const chunk of chunksBySize(items, size, maxBytes)) await attempt(chunk);
  return outcome;
}
