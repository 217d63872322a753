import { Workbox } from 'workbox-window';

export type ApplyUpdate = () => void;
type Listener = (apply: ApplyUpdate) => void;
const listeners = new Set<Listener>();
let ready: ApplyUpdate | null = null;
const STILL_WAITING_MS = 5_000;

/** Calls `listener` when a new service worker is installed and waiting for the user's go-ahead. */
export function onUpdateReady(listener: Listener): () => void {
  listeners.add(listener);
  if (ready) listener(ready);
  return () => listeners.delete(listener);
}

/**
 * Registers the generated service worker. A new version waits (skipWaiting
 * false) until the user taps Update, so a sale in progress is never
 * interrupted by a reload.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    ready = () => {
      let taken = false;
      // The browser's own event: workbox-window's 'controlling' does not fire for an update found by a later check.
      navigator.serviceWorker.addEventListener(
        'controllerchange',
        () => {
          taken = true;
          location.reload();
        },
        { once: true },
      );
      wb.messageSkipWaiting();
      // Chromium now and then leaves the new worker waiting (seen in
      // e2e/update.spec.ts, about one run in three, with nothing of ours in
      // flight). A reload ends whatever holds the old worker, and the new one,
      // told to skip waiting, takes over. A plain timer: asking the
      // registration whether it still waits was itself seen not to answer.
      setTimeout(() => {
        if (!taken) location.reload();
      }, STILL_WAITING_MS);
    };
    for (const listener of listeners) listener(ready);
  });
  wb.register().catch((err: unknown) => console.warn('[sw] registration failed', err));
  // A shop app stays open all day: look for a new version every hour, not only on navigation.
  setInterval(() => void wb.update().catch(() => undefined), 60 * 60 * 1000);
}
