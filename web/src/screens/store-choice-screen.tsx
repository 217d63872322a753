import { Header } from '../components/header';
import { useLanguage } from '../i18n/language';
import { logout } from '../sync/api';
import { updateSession, waitingIn, type Session } from '../sync/session';

/** Owners and managers belong to several stores: they pick the one they are working in. */
export function StoreChoiceScreen({ session }: { session: Session }) {
  const { t } = useLanguage();
  return (
    <>
      <Header onSignOut={() => void logout()} />
      <main className="stores">
        <h2>{t.chooseStore}</h2>
        <ul className="store-list">
          {session.stores.map((store) => {
            const waiting = waitingIn(session.user.id, store.id);
            return (
              <li key={store.id}>
                <button type="button" className="card store-button" onClick={() => updateSession({ storeId: store.id })}>
                  <strong>{store.name}</strong>
                  {store.city && <span className="muted">{store.city}</span>}
                  {waiting > 0 && <span className="unsynced small">{t.waitingInStore(waiting)}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      </main>
    </>
  );
}
