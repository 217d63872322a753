import { useEffect, useState } from 'react';

export interface StorageHealth {
  /** Whether the browser promised to keep this origin's data; null where it cannot tell. */
  persisted: boolean | null;
  /** Share of the quota in use, 0 to 1; null where the browser does not say. */
  usage: number | null;
}

/** Above this share of the quota the sync panel warns: a full disk would stop new sales being written. */
const NEARLY_FULL = 0.9;

export function nearlyFull(health: StorageHealth): boolean {
  return health.usage !== null && health.usage >= NEARLY_FULL;
}

/**
 * Asks once for persistent storage: without it the browser may evict the
 * queue of unsynced sales under storage pressure. Browsers grant it to
 * installed apps and to sites people use a lot, and refuse it silently
 * otherwise, so the answer is shown rather than assumed.
 */
export async function checkStorage(): Promise<StorageHealth> {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage) return { persisted: null, usage: null };
  let persisted: boolean | null = null;
  try {
    persisted = (await storage.persisted?.()) || ((await storage.persist?.()) ?? null);
  } catch {
    persisted = null;
  }
  let usage: number | null = null;
  try {
    const estimate = await storage.estimate?.();
    if (estimate?.quota) usage = (estimate.usage ?? 0) / estimate.quota;
  } catch {
    usage = null;
  }
  return { persisted, usage };
}

export function useStorageHealth(): StorageHealth {
  const [health, setHealth] = useState<StorageHealth>({ persisted: null, usage: null });
  useEffect(() => {
    let live = true;
    const check = () => void checkStorage().then((h) => live && setHealth(h));
    check();
    // Usage grows with every sale and pull; look again now and then.
    const timer = setInterval(check, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return health;
}
