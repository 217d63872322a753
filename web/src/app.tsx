import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { mayManageStore, mayPush, worksAcrossStores, type SaleOperation } from '@bazaar/shared';
import { Header } from './components/header';
import { UpdateBanner } from './components/update-banner';
import { useOnline } from './components/use-online';
import { databaseName, openDatabase, type BazaarDatabase } from './db/database';
import { useStoreView, type StoreItem } from './db/store-view';
import { readSnapshot } from './db/view-snapshot';
import { useObservable } from './db/use-observable';
import { LanguageProvider, useLanguage } from './i18n/language';
import { FirstSyncProgress } from './components/first-sync';
import DayBookScreen from './ledger/day-book-screen';
import LedgerScreen from './ledger/ledger-screen';
import { ledgerStrings } from './ledger/ledger-strings';
import { useLedgerBook } from './ledger/use-ledger-book';
import { LoginScreen } from './screens/login-screen';
import { SellScreen } from './screens/sell-screen';
import { StockScreen } from './screens/stock-screen';
import { StoreChoiceScreen } from './screens/store-choice-screen';
import { isSetAside } from './screens/set-aside-list';
import { needsAttention, StorageNote, SyncScreen, useDecided } from './screens/sync-screen';
import { nearlyFull, useStorageHealth } from './storage/storage-health';
import { logout } from './sync/api';
import { startReplication, type Replication } from './sync/replication';
import { deviceId, loadSession, onSessionChange, rememberWaiting, updateSession, type Session } from './sync/session';
import { SyncStatusStore } from './sync/sync-status';

// Managers' and admins' screens are a chunk of their own: a shopkeeper's phone never downloads them.
const DashboardApp = lazy(() => import('./dashboard/dashboard-app'));
// An owner's reports and staff screens: theirs alone, so loaded only when opened.
const OwnerReports = lazy(() => import('./dashboard/dashboard-app').then((m) => ({ default: m.Dashboards })));
const StaffScreen = lazy(() => import('./staff/staff-screen'));
// Signing out forgets the dashboards' saved figures too: a shared tablet keeps nobody's stores' numbers.
const signOut = () => void import('./dashboard/use-figures').then((m) => m.forgetFigures()).finally(() => void logout());

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [cartOpen, setCartOpen] = useState(false);
  useEffect(() => onSessionChange(setSession), []);

  let screen;
  if (!session) screen = <LoginScreen />;
  else if (worksAcrossStores(session.user) && !session.storeId) {
    screen = (
      <Suspense fallback={<p className="muted">…</p>}>
        <DashboardApp session={session} onSignOut={signOut} />
      </Suspense>
    );
  } else if (!session.storeId) screen = <StoreChoiceScreen session={session} />;
  else screen = <StoreWorkspace key={`${session.user.id}:${session.storeId}`} session={session} storeId={session.storeId} onCartChange={setCartOpen} />;
  return (
    <LanguageProvider>
      <UpdateBanner blocked={cartOpen} />
      {screen}
    </LanguageProvider>
  );
}

interface Open {
  db: BazaarDatabase;
  name: string;
  replication: Replication;
  status: SyncStatusStore;
  snapshot: StoreItem[] | null;
}

/** Opens the store's database and keeps it replicating while the store is on screen. */
function StoreWorkspace({ session, storeId, onCartChange }: { session: Session; storeId: string; onCartChange: (open: boolean) => void }) {
  const { t } = useLanguage();
  const [open, setOpen] = useState<Open | null>(null);
  const [error, setError] = useState<string | null>(null);
  const userId = session.user.id;

  useEffect(() => {
    let cancelled = false;
    let replication: Replication | undefined;
    let opened: BazaarDatabase | undefined;
    const name = databaseName(userId, storeId);
    // Read in parallel with opening RxDB: the snapshot is what makes a cold start quick.
    const snapshot = readSnapshot(name);
    Promise.all([openDatabase(userId, storeId), snapshot]).then(
      ([db, items]) => {
        opened = db;
        if (cancelled) return void db.close();
        performance.mark('bazaar:db-open');
        const status = new SyncStatusStore(name);
        replication = startReplication(db, storeId, status);
        setOpen({ db, name, replication, status, snapshot: items });
      },
      (err: unknown) => {
        // Under StrictMode the first open is cancelled and closed by the second: not an error to show.
        if (!cancelled) setError((err as Error).message);
      },
    );
    return () => {
      cancelled = true;
      void replication?.stop().then(() => opened?.close());
    };
  }, [userId, storeId]);

  const storeName = session.stores.find((s) => s.id === storeId)?.name ?? storeId.slice(0, 8);
  if (!open) {
    return (
      <>
        <Header storeName={storeName} onSignOut={signOut} />
        <main className="sell">{error ? <p role="alert">{error}</p> : <p className="muted">{t.loading}</p>}</main>
      </>
    );
  }
  return <Workspace {...open} session={session} storeId={storeId} storeName={storeName} onSignOut={signOut} onCartChange={onCartChange} />;
}

/** The tabs, and the owner's screens opened from the menu (the store keeps syncing under them). */
type Tab = 'sell' | 'stock' | 'udhaar' | 'sync' | 'daybook' | 'reports' | 'staff';

function Workspace(props: Open & { session: Session; storeId: string; storeName: string; onSignOut: () => void; onCartChange: (open: boolean) => void }) {
  const { db, replication, status, session, storeId } = props;
  const { t, language } = useLanguage();
  const online = useOnline();
  const view = useStoreView(db, props.name, props.snapshot);
  const book = useLedgerBook(db, view);
  const decided = useDecided(db);
  const syncStatus = useObservable(() => status.status$, { lastSyncAt: null, lastError: null }, [status]);
  const storage = useStorageHealth();
  // The tabs a role is offered follow the permission matrix the server enforces: a manager does not sell.
  const maySell = mayPush(session.user, 'sale', storeId);
  const tabs: Tab[] = maySell ? ['sell', 'stock', 'udhaar', 'sync'] : ['stock', 'sync'];
  const ownsStore = mayManageStore(session.user, storeId) && session.user.role === 'owner';
  const [tab, setTab] = useState<Tab>(tabs[0]!);
  const [openProductId, setOpenProductId] = useState<string | null>(null);
  // A sale chosen in the day book to take a return against: the sell screen opens its return with it.
  const [returnFrom, setReturnFrom] = useState<SaleOperation | null>(null);
  const takeReturn = useCallback((sale: SaleOperation) => {
    setReturnFrom(sale);
    setTab('sell');
  }, []);
  const context = useMemo(() => ({ storeId, deviceId: deviceId() }), [storeId]);
  // Once per change of the operations or decisions, not on every render: the history only grows.
  const attention = useMemo(() => view.operations.filter((op) => needsAttention(op, decided, session.user)), [view.operations, decided, session.user]);
  const setAside = useMemo(() => view.operations.filter(isSetAside).length, [view.operations]);
  // The header counts what this user can act on; the Sync tab still shows the rest, explained.
  const actionable = useMemo(() => attention.filter((op) => mayPush(session.user, op.type, storeId)).length, [attention, session.user, storeId]);
  const mayCount = mayPush(session.user, 'count', storeId);
  // Only from the live queue: the snapshot shown while RxDB loads has no operations.
  const live = view.loaded && !view.fromSnapshot;
  useEffect(() => {
    if (live) rememberWaiting(session.user.id, storeId, view.pending.length);
  }, [live, session.user.id, storeId, view.pending.length]);

  const showCount = useCallback((productId: string) => {
    setOpenProductId(productId);
    setTab('stock');
  }, []);
  const { onCartChange } = props;
  const cartChange = useCallback((isOpen: boolean) => onCartChange(isOpen), [onCartChange]);

  return (
    <>
      <Header
        storeName={props.storeName}
        pending={view.pending.length}
        attention={actionable + setAside}
        onSwitchStore={!worksAcrossStores(session.user) && session.stores.length > 1 ? () => updateSession({ storeId: null }) : undefined}
        onDashboard={worksAcrossStores(session.user) ? () => updateSession({ storeId: null }) : undefined}
        screens={[
          // The counter's own books: whoever sells closes the day.
          ...(maySell ? [{ label: ledgerStrings[language].dayBook, onSelect: () => setTab('daybook') }] : []),
          ...(ownsStore
            ? [
                { label: t.reports, onSelect: () => setTab('reports') },
                { label: t.staffAndDevices, onSelect: () => setTab('staff') },
              ]
            : []),
        ]}
        onSignOut={props.onSignOut}
      />
      {tab !== 'sync' && nearlyFull(storage) && <StorageNote storage={storage} />}
      <FirstSyncProgress storeId={storeId} view={view} />
      <nav className="tabs" aria-label={t.tabs}>
        {tabs.map((name) => (
          <button key={name} type="button" aria-current={tab === name ? 'page' : undefined} onClick={() => setTab(name)}>
            {name === 'sell' ? t.tabSell : name === 'stock' ? t.tabStock : name === 'udhaar' ? ledgerStrings[language].tab : t.tabSync}
          </button>
        ))}
      </nav>
      {/* Kept mounted while hidden: a half-built cart survives a look at the stock. */}
      {maySell && (
        <div hidden={tab !== 'sell'}>
          <SellScreen db={db} view={view} context={context} storeName={props.storeName} book={book} onCartChange={cartChange} returnFrom={returnFrom} onReturnTaken={() => setReturnFrom(null)} />
        </div>
      )}
      {(tab === 'reports' || tab === 'staff') && (
        <Suspense fallback={<p className="muted">{t.loading}</p>}>
          {tab === 'reports' ? <OwnerReports session={session} /> : <StaffScreen storeId={storeId} userId={session.user.id} />}
        </Suspense>
      )}
      {tab === 'daybook' && (
        <DayBookScreen
          db={db}
          context={context}
          view={view}
          onReturnFrom={takeReturn}
        />
      )}
      {tab === 'udhaar' && <LedgerScreen db={db} view={view} context={context} storeName={props.storeName} book={book} maySetLimit={ownsStore} onReturnFrom={takeReturn} />}
      {tab === 'stock' && <StockScreen db={db} view={view} context={context} user={session.user} openProductId={openProductId} onOpen={setOpenProductId} />}
      {tab === 'sync' && (
        <SyncScreen
          db={db}
          view={view}
          context={context}
          user={session.user}
          status={syncStatus}
          attention={attention}
          storage={storage}
          online={online}
          onSyncNow={replication.resync}
          onCount={mayCount ? showCount : undefined}
        />
      )}
    </>
  );
}
