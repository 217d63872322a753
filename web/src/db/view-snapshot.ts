import type { StoreItem } from './store-view';

/**
 * A copy of the store's item list as the screens last showed it, kept in one
 * IndexedDB record per database. RxDB's Dexie storage reads a collection one
 * cursor step at a time: with 20,000 products that is seconds on a cheap
 * phone (bench:web). One record comes back in a fraction of that, so the sell
 * screen shows the snapshot at once and switches to the live data when RxDB
 * has it. It is a cache of what was on screen, never a source of truth:
 * every sale is still written to RxDB.
 */
const DATABASE = 'bazaar-view-snapshots';
const STORE = 'views';
/** Bumped when StoreItem changes shape: an older snapshot is ignored, not misread. */
const FORMAT = 2;

interface Snapshot {
  format: number;
  savedAt: string;
  items: StoreItem[];
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        tx.onerror = () => {
          db.close();
          reject(tx.error);
        };
      }),
  );
}

/** The last snapshot of this database's view, or null (none yet, an older format, or IndexedDB refused). */
export async function readSnapshot(databaseName: string): Promise<StoreItem[] | null> {
  try {
    const snapshot = (await run('readonly', (store) => store.get(databaseName))) as Snapshot | undefined;
    return snapshot?.format === FORMAT && snapshot.items.length > 0 ? snapshot.items : null;
  } catch {
    return null;
  }
}

export async function writeSnapshot(databaseName: string, items: readonly StoreItem[]): Promise<void> {
  const snapshot: Snapshot = { format: FORMAT, savedAt: new Date().toISOString(), items: [...items] };
  const started = performance.now();
  await run('readwrite', (store) => store.put(snapshot, databaseName)).catch(() => undefined);
  performance.measure('bazaar:snapshot-write', { start: started });
}
