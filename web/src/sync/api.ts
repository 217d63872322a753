import { HttpErrorBody, LoginResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, RefreshResponse, worksAcrossStores } from '@bazaar/shared';
import { deviceId, loadSession, saveSession, updateSession, type Session } from './session';

/** An HTTP error from the server, with its reason code and the message meant for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** The answer is our server's own error body, not a proxy's page. */
    readonly fromServer = true,
    /** What the server added: the rows refused, or the record as it is now after a 409. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

async function toError(res: Response): Promise<ApiError> {
  const body = HttpErrorBody.safeParse(await res.json().catch(() => null));
  return body.success
    ? new ApiError(res.status, body.data.reason, body.data.message, true, body.data.details)
    : new ApiError(res.status, 'internal', `The server answered ${res.status}.`, false);
}

const baseHeaders = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/json' };

export async function login(username: string, password: string): Promise<Session> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: baseHeaders,
    body: JSON.stringify({ username, password, deviceId: deviceId() }),
  });
  if (!res.ok) throw await toError(res);
  const data = LoginResponse.parse(await res.json());
  // One store opens by itself, except for those whose work is across stores (the dashboards).
  const onlyStore = data.user.storeIds.length === 1 && !worksAcrossStores(data.user) ? data.user.storeIds[0]! : null;
  const session: Session = { ...data, storeId: onlyStore };
  saveSession(session);
  return session;
}

// One refresh at a time across every tab of the origin (Web Locks), and one
// promise within a tab: a refresh token is exchanged once, so a tab that waited
// for the lock usually finds the new tokens already saved by another and sends
// nothing. (The server answers a repeat within its grace period the same
// successor anyway, from this device; this keeps it the exception.)
const REFRESH_LOCK = 'bazaar-refresh';
let refreshing: Promise<string> | null = null;

/**
 * A new access token. `stale` is the token the caller found expired or about
 * to: when the saved session already holds another one, fresh enough, some
 * other tab refreshed it meanwhile and that one is used.
 */
export function refreshAccessToken(stale?: string): Promise<string> {
  refreshing ??= oneAtATime(async () => {
    const session = loadSession();
    if (!session) throw new ApiError(401, 'unauthenticated', 'Not signed in.');
    if (stale !== undefined && session.accessToken !== stale && !expiresSoon(session.accessToken)) return session.accessToken;
    const res = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: baseHeaders,
      body: JSON.stringify({ refreshToken: session.refreshToken, deviceId: deviceId() }),
    });
    if (res.status === 401) {
      saveSession(null);
      throw await toError(res);
    }
    if (!res.ok) throw await toError(res);
    const tokens = RefreshResponse.parse(await res.json());
    updateSession(tokens);
    return tokens.accessToken;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks are in every browser the app supports; without them (an old WebView) the in-tab promise still holds.
  if (typeof navigator === 'undefined' || !navigator.locks) return task();
  return navigator.locks.request(REFRESH_LOCK, task) as Promise<T>;
}

/** When a JWT was issued and expires, in seconds since the epoch; zeros if it cannot be read. */
export function tokenTimes(token: string): { iat: number; exp: number } {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { iat?: number; exp?: number };
    return { iat: payload.iat ?? 0, exp: payload.exp ?? 0 };
  } catch {
    return { iat: 0, exp: 0 };
  }
}

/**
 * A current access token, refreshed first when it is about to expire: within
 * 30 seconds, or the last quarter of a shorter lifetime. The device's clock
 * may be off; a token the server finds expired costs one 401 and a refresh.
 */
export async function freshAccessToken(): Promise<string> {
  const session = loadSession();
  if (!session) throw new ApiError(401, 'unauthenticated', 'Not signed in.');
  return expiresSoon(session.accessToken) ? refreshAccessToken(session.accessToken) : session.accessToken;
}

function expiresSoon(token: string): boolean {
  const { iat, exp } = tokenTimes(token);
  const margin = Math.min(30, (exp - iat) / 4) * 1000;
  return exp * 1000 - Date.now() <= margin;
}

/** An authenticated JSON call; on 401 it refreshes the token once and retries. */
export async function apiFetch<T>(path: string, init: { method?: 'GET' | 'POST' | 'PUT'; body?: unknown } = {}): Promise<T> {
  const send = (token: string) =>
    fetch(path, {
      method: init.method ?? 'GET',
      headers: { ...baseHeaders, authorization: `Bearer ${token}` },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const token = await freshAccessToken();
  let res = await send(token);
  if (res.status === 401) res = await send(await refreshAccessToken(token));
  if (!res.ok) throw await toError(res);
  // 204: done, nothing to read.
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export async function logout(): Promise<void> {
  const session = loadSession();
  saveSession(null);
  if (!session) return;
  // Best effort: offline, the tokens simply expire.
  await fetch('/api/auth/logout', {
    method: 'POST',
    headers: { ...baseHeaders, authorization: `Bearer ${session.accessToken}` },
  }).catch(() => undefined);
}
