import { useEffect, useMemo, useState } from 'react';
import { SyncSize } from '@bazaar/shared';
import type { StoreView } from '../db/store-view';
import { useLanguage } from '../i18n/language';
import { apiFetch } from '../sync/api';

const doneKey = (storeId: string) => `bazaar:first-sync-done:${storeId}`;

/**
 * A store's first sync on this device, with what it has received of the
 * total (products and stock figures) instead of a bare "Loading…": a large
 * catalog takes seconds on a cheap phone. Once it has all of it, it is not
 * shown again for the store; offline it waits for the network quietly.
 */
export function FirstSyncProgress({ storeId, view }: { storeId: string; view: StoreView }) {
  const { t, format } = useLanguage();
  const [done, setDone] = useState(() => localStorage.getItem(doneKey(storeId)) !== null);
  const [size, setSize] = useState<SyncSize | null>(null);
  // A first sync done within a second needs no progress: it would only flash and shift the screen.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), 1_000);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    if (done) return;
    let stopped = false;
    const ask = () =>
      apiFetch<unknown>(`/api/stores/${storeId}/sync-size`)
        .then((body) => !stopped && setSize(SyncSize.parse(body)))
        .catch(() => undefined);
    void ask();
    window.addEventListener('online', ask);
    return () => {
      stopped = true;
      window.removeEventListener('online', ask);
    };
  }, [storeId, done]);

  // From the live view only: the snapshot shown while RxDB loads is last session's. Before
  // the first page of the catalog has landed (a page holds a thousand products), nothing has.
  const received = useMemo(
    () =>
      view.fromSnapshot
        ? null
        : view.loaded
          ? { products: view.catalog.length, stock: view.catalog.reduce((n, i) => n + (i.stock ? 1 : 0), 0) }
          : { products: 0, stock: 0 },
    [view.fromSnapshot, view.loaded, view.catalog],
  );
  const complete = size !== null && received !== null && received.products >= size.products && received.stock >= size.stock;
  useEffect(() => {
    if (!complete) return;
    localStorage.setItem(doneKey(storeId), new Date().toISOString());
    setDone(true);
  }, [complete, storeId]);

  if (done || complete || !slow || size === null || received === null) return null;
  const total = size.products + size.stock;
  return (
    <div className="first-sync" role="status" data-testid="first-sync">
      <p>{t.firstSync(format.quantity(received.products), format.quantity(size.products), format.quantity(received.stock), format.quantity(size.stock))}</p>
      <progress max={Math.max(total, 1)} value={Math.min(received.products, size.products) + Math.min(received.stock, size.stock)} />
    </div>
  );
}
