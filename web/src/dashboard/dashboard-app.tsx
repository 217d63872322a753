import { lazy, Suspense, useState, type ReactNode } from 'react';
import './dashboard.css';
import { DashboardScope, isAdmin, type DashboardPeriod } from '@bazaar/shared';
import { useAdminStrings } from '../admin/admin-strings';
import { catalogStrings } from '../catalog/catalog-strings';
import { useLanguage } from '../i18n/language';
import { Header } from '../components/header';
import { updateSession, type Session } from '../sync/session';
import { AlertsPanel } from './alerts-panel';
import { OverviewPanel } from './overview-panel';
import { Segmented, useDashboardStrings } from './parts';
import { ProductsPanel } from './products-panel';
import { StorePage } from './store-page';
import { StoresPanel } from './stores-panel';
import { TrendPanel } from './trend-panel';
import { useFigures } from './use-figures';
import { useLive } from './use-live';

const CatalogScreen = lazy(() => import('../catalog/catalog-screen'));
const StoresScreen = lazy(() => import('../admin/stores-screen'));
const UsersScreen = lazy(() => import('../admin/users-screen'));

const adminViews = ['dashboards', 'catalog', 'stores', 'users'] as const;
type AdminView = (typeof adminViews)[number];

type Section = 'overview' | 'trends' | 'stores' | 'products' | 'alerts';
const sections: readonly Section[] = ['overview', 'trends', 'stores', 'products', 'alerts'];

/**
 * The dashboards of managers and admins (and owners, over their own stores):
 * what the workers computed across the stores they may see, moving as the
 * stream says figures changed, readable offline as of their time. Loaded as
 * a chunk of its own: the shop's phones never fetch it.
 */
export default function DashboardApp({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { t, language } = useLanguage();
  const a = useAdminStrings();
  const [view, setView] = useState<AdminView>('dashboards');
  // Admins keep the central catalog, the stores and the users too (the design's catalog service).
  const titles: Record<AdminView, string> = { dashboards: t.dashboard, catalog: catalogStrings[language].title, stores: a.storesTitle, users: a.usersTitle };
  const screens = isAdmin(session.user) ? adminViews.map((v) => ({ label: titles[v], onSelect: () => setView(v) })) : undefined;
  const header = (title: string) => <Header storeName={title} onSignOut={onSignOut} screens={screens} />;
  if (view === 'dashboards') return <Dashboards session={session} header={header} />;
  return (
    <>
      {header(titles[view])}
      <Suspense fallback={<p className="muted">{t.loading}</p>}>
        {view === 'catalog' && <CatalogScreen />}
        {view === 'stores' && <StoresScreen />}
        {view === 'users' && <UsersScreen selfId={session.user.id} />}
      </Suspense>
    </>
  );
}

/**
 * The dashboards themselves, under the caller's header: their own for
 * managers and admins (`header`), the store's for an owner, who opens them
 * from the menu while the store keeps syncing.
 */
export function Dashboards({ session, header }: { session: Session; header?: (title: string) => ReactNode }) {
  const d = useDashboardStrings();
  const userId = session.user.id;
  const live = useLive();
  const [period, setPeriod] = useState<DashboardPeriod>('today');
  const [region, setRegion] = useState('');
  const [section, setSection] = useState<Section>('overview');
  const [store, setStore] = useState<{ id: string; name: string } | null>(null);
  const scope = useFigures(userId, '/api/dashboard/scope', DashboardScope, 0);
  // Alerts are open or not, whatever the period: they take the stores only.
  const stores = region ? new URLSearchParams({ region }).toString() : '';
  const query = stores ? `period=${period}&${stores}` : `period=${period}`;

  return (
    <>
      {header?.(store?.name ?? (region || d.allStores))}
      <main className="dashboard">
        <div className="dashboard-bar">
          <div className="filters dashboard-filters">
            <Segmented label={d.period} value={period} options={(['today', 'week', 'month'] as const).map((p) => ({ value: p, label: d.periods[p] }))} onChange={setPeriod} />
            {!store && (scope.data?.regions.length ?? 0) > 1 && (
              <label className="inline-field">
                {d.region}
                <select value={region} onChange={(e) => setRegion(e.target.value)}>
                  <option value="">{d.allRegions}</option>
                  {scope.data!.regions.map((r) => (
                    <option key={r.region} value={r.region}>
                      {r.region} ({r.stores})
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {!store && (
            <nav className="tabs" aria-label={d.sections}>
              {sections.map((name) => (
                <button key={name} type="button" aria-current={section === name ? 'page' : undefined} onClick={() => setSection(name)}>
                  {d[name]}
                </button>
              ))}
            </nav>
          )}
        </div>
        {store ? (
          <StorePage
            userId={userId}
            store={store}
            period={period}
            live={live}
            onBack={() => setStore(null)}
            onOpenStock={session.user.storeIds.includes(store.id) ? () => updateSession({ storeId: store.id }) : undefined}
          />
        ) : (
          <>
            {section === 'overview' && <OverviewPanel userId={userId} query={query} period={period} live={live} />}
            {section === 'trends' && <TrendPanel userId={userId} query={query} period={period} live={live} />}
            {section === 'stores' && <StoresPanel userId={userId} query={query} live={live} onOpen={setStore} />}
            {section === 'products' && <ProductsPanel userId={userId} query={query} live={live} />}
            {section === 'alerts' && <AlertsPanel userId={userId} query={stores} live={live} onOpenStore={setStore} />}
          </>
        )}
      </main>
    </>
  );
}
