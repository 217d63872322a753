import { useLanguage } from '../i18n/language';
import { useOnline } from './use-online';

/** The bar on every screen: where you are, whether you are online, and what waits to sync. */
export function Header(props: { storeName?: string; pending?: number; attention?: number; onSignOut?: () => void }) {
  const online = useOnline();
  const { t, language, setLanguage } = useLanguage();
  return (
    <header className="app-header">
      <div className="brand">
        <img src="/icons/icon-192.png" alt="" width={28} height={28} />
        <div>
          <h1>{t.appName}</h1>
          {props.storeName && <p className="store-label">{props.storeName}</p>}
        </div>
      </div>
      <div className="header-status">
        <span className={`badge ${online ? 'badge-online' : 'badge-offline'}`} role="status" aria-label={t.connection}>
          {online ? t.online : t.offline}
        </span>
        {props.pending !== undefined && (
          <span className={`badge ${props.pending > 0 ? 'badge-pending' : 'badge-synced'}`} role="status" aria-label={t.syncQueue}>
            {t.pending(props.pending)}
          </span>
        )}
        {props.attention !== undefined && props.attention > 0 && (
          <span className="badge badge-attention" role="status" aria-label={t.needsAttention}>
            {t.attention(props.attention)}
          </span>
        )}
        <button type="button" className="link-button" lang={language === 'en' ? 'ur' : 'en'} aria-label={t.languageName} onClick={() => setLanguage(language === 'en' ? 'ur' : 'en')}>
          {t.language}
        </button>
        {props.onSignOut && (
          <button type="button" className="link-button" onClick={props.onSignOut}>
            {t.signOut}
          </button>
        )}
      </div>
    </header>
  );
}
