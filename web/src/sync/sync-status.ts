import { BehaviorSubject, type Observable } from 'rxjs';

export interface SyncStatus {
  /** When a push or pull last succeeded (server reached), ISO time; null before the first. */
  lastSyncAt: string | null;
  /** The last replication failure since then, for the sync panel; null once a call succeeds again. */
  lastError: string | null;
}

/**
 * What the sync panel and header say about replication of one user's store.
 * The time of the last success survives reloads (it is per database), so an
 * owner offline all day still sees when the tablet last reached the server.
 */
export class SyncStatusStore {
  private readonly key: string;
  private readonly subject: BehaviorSubject<SyncStatus>;
  readonly status$: Observable<SyncStatus>;

  constructor(databaseName: string) {
    this.key = `bazaar.lastSync.${databaseName}`;
    this.subject = new BehaviorSubject<SyncStatus>({ lastSyncAt: localStorage.getItem(this.key), lastError: null });
    this.status$ = this.subject.asObservable();
  }

  succeeded(): void {
    const now = new Date().toISOString();
    localStorage.setItem(this.key, now);
    this.subject.next({ lastSyncAt: now, lastError: null });
  }

  failed(message: string): void {
    this.subject.next({ ...this.subject.value, lastError: message });
  }
}
