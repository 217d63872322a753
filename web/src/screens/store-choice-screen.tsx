import { Header } from '../components/header';
import { t } from '../i18n/strings';
import { logout } from '../sync/api';
import { updateSession, type Session } from '../sync/session';

/** Owners and managers belong to several stores: they pick the one they are working in. */
export function StoreChoiceScreen({ session }: { session: Session }) {
  return (
    <>
      <Header onSignOut={() => void logout()} />
      <main className="stores">
        <h2>{t.chooseStore}</h2>
        <ul className="store-list">
          {session.user.storeIds.map((id, i) => (
            <li key={id}>
              <button type="button" className="card store-button" onClick={() => updateSession({ storeId: id })}>
                <strong>{t.store(i + 1)}</strong>
                <span className="muted">{id}</span>
              </button>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
