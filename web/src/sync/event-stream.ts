import { freshAccessToken } from './api';

const STREAM_RETRY_MS = 3_000;

export interface EventStream {
  /** Reopens a stream that was refused for good (after the device came back online, say). */
  ensureOpen(): void;
  close(): void;
}

/**
 * The server's Server-Sent Events (GET /api/sync/stream): `open` each time
 * it connects, then its named events (`resync`, `change`, `reports`), each
 * handed its data. A browser reconnects a dropped stream by itself, but one
 * refused while reconnecting (a 401 after the token expired, a 503) stays
 * CLOSED for good, so it is rebuilt here with a fresh token.
 */
export function openEventStream(handlers: { open?: () => void } & Record<string, ((data: string) => void) | undefined>): EventStream {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = async () => {
    timer = undefined;
    if (closed || (source && source.readyState !== EventSource.CLOSED)) return;
    let token: string;
    try {
      token = await freshAccessToken();
    } catch {
      schedule();
      return;
    }
    if (closed) return;
    const es = new EventSource(`/api/sync/stream?access_token=${encodeURIComponent(token)}`);
    source = es;
    for (const [name, handler] of Object.entries(handlers)) {
      if (!handler) continue;
      if (name === 'open') es.addEventListener('open', () => handlers.open?.());
      else es.addEventListener(name, (event) => handler((event as MessageEvent<string>).data));
    }
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED) schedule();
    });
  };
  const schedule = () => {
    if (!closed && timer === undefined) timer = setTimeout(() => void open(), STREAM_RETRY_MS);
  };
  void open();

  return {
    ensureOpen: () => {
      if (!source || source.readyState === EventSource.CLOSED) {
        clearTimeout(timer);
        timer = undefined;
        void open();
      }
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
