import { t } from '../i18n/strings';
import { useOnline } from './use-online';

export function Header(props: { storeLabel?: string; pending?: number; onSignOut?: () => void }) {
  const online = useOnline();
  return (
    <header className="app-header">
      <div className="brand">
        <img src="/icons/icon-192.png" alt="" width={28} height={28} />
        <div>
          <h1>{t.appName}</h1>
          {props.storeLabel && <p className="store-label">{props.storeLabel}</p>}
        </div>
      </div>
      <div className="header-status">
        <span className={`badge ${online ? 'badge-online' : 'badge-offline'}`} role="status" aria-label="Connection">
          {online ? t.online : t.offline}
        </span>
        {props.pending !== undefined && (
          <span className={`badge ${props.pending > 0 ? 'badge-pending' : 'badge-synced'}`} role="status" aria-label="Sync queue">
            {t.pending(props.pending)}
          </span>
        )}
        {props.onSignOut && (
          <button type="button" className="link-button" onClick={props.onSignOut}>
            {t.signOut}
          </button>
        )}
      </div>
    </header>
  );
}
