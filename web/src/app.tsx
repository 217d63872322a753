import { useEffect, useState } from 'react';
import { map } from 'rxjs';
import { Header } from './components/header';
import { UpdateBanner } from './components/update-banner';
import { openDatabase, type BazaarDatabase } from './db/database';
import { useObservable } from './db/use-observable';
import { t } from './i18n/strings';
import { LoginScreen } from './screens/login-screen';
import { SellScreen } from './screens/sell-screen';
import { StoreChoiceScreen } from './screens/store-choice-screen';
import { logout } from './sync/api';
import { startReplication } from './sync/replication';
import { deviceId, loadSession, onSessionChange, type Session } from './sync/session';

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  useEffect(() => onSessionChange(setSession), []);

  let screen;
  if (!session) screen = <LoginScreen />;
  else if (!session.storeId) screen = <StoreChoiceScreen session={session} />;
  else screen = <StoreWorkspace key={`${session.user.id}:${session.storeId}`} session={session} storeId={session.storeId} />;
  return (
    <>
      <UpdateBanner />
      {screen}
    </>
  );
}

/** Opens the store's database and keeps it replicating while the store is on screen. */
function StoreWorkspace({ session, storeId }: { session: Session; storeId: string }) {
  const [db, setDb] = useState<BazaarDatabase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const userId = session.user.id;

  useEffect(() => {
    let cancelled = false;
    let stop: (() => Promise<void>) | undefined;
    let opened: BazaarDatabase | undefined;
    openDatabase(userId, storeId).then(
      (database) => {
        opened = database;
        if (cancelled) return void database.close();
        stop = startReplication(database, storeId).stop;
        setDb(database);
      },
      (err: unknown) => {
        // Under StrictMode the first open is cancelled and closed by the second: not an error to show.
        if (!cancelled) setError((err as Error).message);
      },
    );
    return () => {
      cancelled = true;
      void stop?.().then(() => opened?.close());
    };
  }, [userId, storeId]);

  const index = session.user.storeIds.indexOf(storeId);
  const storeLabel = `${t.store(index + 1)} · ${storeId.slice(0, 8)}`;
  const signOut = () => void logout();
  if (!db) {
    return (
      <>
        <Header storeLabel={storeLabel} onSignOut={signOut} />
        <main className="sell">{error ? <p role="alert">{error}</p> : <p className="muted">{t.loading}</p>}</main>
      </>
    );
  }
  return (
    <>
      <PendingHeader db={db} storeLabel={storeLabel} onSignOut={signOut} />
      <SellScreen db={db} storeId={storeId} deviceId={deviceId()} />
    </>
  );
}

function PendingHeader({ db, storeLabel, onSignOut }: { db: BazaarDatabase; storeLabel: string; onSignOut: () => void }) {
  // A find, not a count: RxDB refuses counts that no index answers, and the queue of unsynced operations stays short.
  const pending = useObservable(() => db.operations.find({ selector: { status: { $exists: false } } }).$.pipe(map((docs) => docs.length)), 0, [db]);
  return <Header storeLabel={storeLabel} pending={pending} onSignOut={onSignOut} />;
}
