import { useEffect, useRef } from 'react';
import { useLanguage } from '../i18n/language';
import { useOnline } from './use-online';

/**
 * The bar on every screen: where you are, whether you are online, and what
 * waits to sync, on one line of a 360 px phone. Language and signing out sit
 * in a menu; on a narrow screen the connection is a dot and the attention
 * badge its number (the words stay for screen readers).
 */
export function Header(props: {
  storeName?: string;
  pending?: number;
  attention?: number;
  onSwitchStore?: () => void;
  /** Back to the dashboards, for a manager looking into one store. */
  onDashboard?: () => void;
  /** More screens of the role (an owner's reports, staff and devices), at the top of the menu. */
  screens?: readonly { label: string; onSelect: () => void }[];
  onSignOut?: () => void;
}) {
  const online = useOnline();
  const { t, language, setLanguage } = useLanguage();
  const menu = useRef<HTMLDetailsElement>(null);
  // A tap anywhere else closes the menu, as on any phone.
  useEffect(() => {
    const close = (e: PointerEvent) => {
      if (menu.current?.open && !menu.current.contains(e.target as Node)) menu.current.open = false;
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, []);
  const languageButton = (
    <button
      type="button"
      className="link-button"
      lang={language === 'en' ? 'ur' : 'en'}
      aria-label={t.languageName}
      onClick={() => {
        setLanguage(language === 'en' ? 'ur' : 'en');
        if (menu.current) menu.current.open = false;
      }}
    >
      {t.language}
    </button>
  );
  return (
    <header className="app-header">
      <div className="brand">
        <img src="/icons/icon-192.png" alt="" width={28} height={28} />
        <div className="brand-text">
          <h1 className={props.storeName ? 'wide-only' : undefined}>{t.appName}</h1>
          {props.storeName && <p className="store-label" dir="auto">{props.storeName}</p>}
        </div>
      </div>
      <div className="header-status">
        <span className={`badge ${online ? 'badge-online' : 'badge-offline'}`} role="status" aria-label={t.connection}>
          <span className="wide-only">{online ? t.online : t.offline}</span>
        </span>
        {props.pending !== undefined && (
          <span className={`badge ${props.pending > 0 ? 'badge-pending' : 'badge-synced'}`} role="status" aria-label={t.syncQueue}>
            {t.pending(props.pending)}
          </span>
        )}
        {props.attention !== undefined && props.attention > 0 && (
          <span className="badge badge-attention" role="status" aria-label={t.needsAttention} data-count={props.attention}>
            <span className="wide-only">{t.attention(props.attention)}</span>
          </span>
        )}
        {props.onSignOut ? (
          <details className="menu" ref={menu}>
            <summary aria-label={t.menu}>⋮</summary>
            <div className="menu-items">
              {props.screens?.map((screen) => (
                <button
                  key={screen.label}
                  type="button"
                  className="link-button"
                  onClick={() => {
                    screen.onSelect();
                    if (menu.current) menu.current.open = false;
                  }}
                >
                  {screen.label}
                </button>
              ))}
              {props.onDashboard && (
                <button type="button" className="link-button" onClick={props.onDashboard}>
                  {t.dashboard}
                </button>
              )}
              {props.onSwitchStore && (
                <button type="button" className="link-button" onClick={props.onSwitchStore}>
                  {t.switchStore}
                </button>
              )}
              {languageButton}
              <button type="button" className="link-button" onClick={props.onSignOut}>
                {t.signOut}
              </button>
            </div>
          </details>
        ) : (
          languageButton
        )}
      </div>
    </header>
  );
}
