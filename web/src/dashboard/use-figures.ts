import { useEffect, useState } from 'react';
import type { ZodType } from 'zod';
import { apiFetch, ApiError } from '../sync/api';

const PREFIX = 'bazaar.dashboard.';
/** Answers kept per user for offline reading: the screens and pages looked at last. */
const MAX_SAVED = 60;

interface Saved<T> {
  data: T;
  fetchedAt: string;
}

export interface Figures<T> {
  data: T | null;
  /** When `data` was fetched; older than the last try when offline or failed. */
  fetchedAt: string | null;
  state: 'loading' | 'fresh' | 'offline' | 'failed';
  error: string | null;
}

const keyOf = (userId: string, path: string) => `${PREFIX}${userId}:${path}`;

function readSaved<T>(userId: string, path: string, schema: ZodType<T>): Saved<T> | null {
  try {
    const raw = localStorage.getItem(keyOf(userId, path));
    if (!raw) return null;
    const saved = JSON.parse(raw) as { data: unknown; fetchedAt: string };
    // What an older version saved may not be what this one reads: then it is not shown.
    const parsed = schema.safeParse(saved.data);
    return parsed.success ? { data: parsed.data, fetchedAt: saved.fetchedAt } : null;
  } catch {
    return null;
  }
}

function save(userId: string, path: string, saved: Saved<unknown>): void {
  try {
    localStorage.setItem(keyOf(userId, path), JSON.stringify(saved));
    const mine = Object.keys(localStorage).filter((k) => k.startsWith(`${PREFIX}${userId}:`));
    if (mine.length <= MAX_SAVED) return;
    const byAge = mine.map((k) => [k, (JSON.parse(localStorage.getItem(k) ?? '{}') as { fetchedAt?: string }).fetchedAt ?? ''] as const).sort((a, b) => a[1].localeCompare(b[1]));
    for (const [k] of byAge.slice(0, mine.length - MAX_SAVED)) localStorage.removeItem(k);
  } catch {
    // Storage full or denied: the figures still show, they are just not kept for offline.
  }
}

/** Drops every saved answer of every user: a signed-out tablet keeps no figures of anybody's stores. */
export function forgetFigures(): void {
  for (const k of Object.keys(localStorage)) if (k.startsWith(PREFIX)) localStorage.removeItem(k);
}

/**
 * A dashboard read: the answer saved on this device at once (so a reload
 * offline shows the last figures, marked with their time), then the server's,
 * again whenever `live` changes (the stream said figures moved) or the
 * device comes back online. `path` null reads nothing.
 */
export function useFigures<T>(userId: string, path: string | null, schema: ZodType<T>, live: number): Figures<T> {
  const [figures, setFigures] = useState<Figures<T>>(() => initial(userId, path, schema));
  const [online, setOnline] = useState(0);
  useEffect(() => {
    const back = () => setOnline((n) => n + 1);
    window.addEventListener('online', back);
    return () => window.removeEventListener('online', back);
  }, []);
  // A new path shows what was saved for it, not the last path's figures.
  useEffect(() => setFigures(initial(userId, path, schema)), [userId, path, schema]);
  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    apiFetch<unknown>(path).then(
      (body) => {
        if (cancelled) return;
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          setFigures((f) => ({ ...f, state: 'failed', error: 'The server answered figures this version cannot read.' }));
          return;
        }
        const fetchedAt = new Date().toISOString();
        save(userId, path, { data: parsed.data, fetchedAt });
        setFigures({ data: parsed.data, fetchedAt, state: 'fresh', error: null });
      },
      (err: unknown) => {
        if (cancelled) return;
        const offline = !navigator.onLine || !(err instanceof ApiError) || err.status >= 500;
        setFigures((f) => ({ ...f, state: offline ? 'offline' : 'failed', error: (err as Error).message }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [userId, path, schema, live, online]);
  return figures;
}

function initial<T>(userId: string, path: string | null, schema: ZodType<T>): Figures<T> {
  const saved = path ? readSaved(userId, path, schema) : null;
  return { data: saved?.data ?? null, fetchedAt: saved?.fetchedAt ?? null, state: 'loading', error: null };
}
