import { LoginResponse, type SessionUser } from '@bazaar/shared';
import { z } from 'zod';

/**
 * The signed-in session, kept in localStorage so the app opens offline on a
 * reload: tokens, the user and the store being worked on.
 */
export const Session = LoginResponse.extend({ storeId: z.uuid().nullable() });
export type Session = z.infer<typeof Session>;

const SESSION_KEY = 'bazaar.session';
const DEVICE_KEY = 'bazaar.deviceId';

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function loadSession(): Session | null {
  const raw = localStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    return Session.parse(JSON.parse(raw));
  } catch {
    // A session written by an older shape of the app: sign in again rather than guess.
    localStorage.removeItem(SESSION_KEY);
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
  for (const listener of listeners) listener(session);
}

export function updateSession(change: Partial<Session>): void {
  const current = loadSession();
  if (current) saveSession({ ...current, ...change });
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** This install's id, made once: the server registers it at login so an owner can revoke a lost phone. */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

export type { SessionUser };

const waitingKey = (userId: string, storeId: string) => `bazaar.waiting.${userId}.${storeId}`;

/**
 * How many operations wait to sync in a store's database, as its workspace
 * last saw: a store's queue is sent only while that store is open, so the
 * store list says which ones still hold changes.
 */
export function rememberWaiting(userId: string, storeId: string, count: number): void {
  if (count > 0) localStorage.setItem(waitingKey(userId, storeId), String(count));
  else localStorage.removeItem(waitingKey(userId, storeId));
}

export function waitingIn(userId: string, storeId: string): number {
  return Number(localStorage.getItem(waitingKey(userId, storeId)) ?? 0);
}
