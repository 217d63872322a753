import { useState, type FormEvent } from 'react';
import { Header } from '../components/header';
import { useOnline } from '../components/use-online';
import { useLanguage } from '../i18n/language';
import { ApiError, login } from '../sync/api';

export function LoginScreen() {
  const online = useOnline();
  const { t } = useLanguage();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t.signInOffline);
      setBusy(false);
    }
  };

  return (
    <>
      <Header />
      <main className="login">
        <form className="card login-form" onSubmit={submit} aria-labelledby="login-title">
          <h2 id="login-title">{t.signIn}</h2>
          {!online && <p className="notice">{t.signInOffline}</p>}
          <label>
            {t.username}
            <input name="username" autoComplete="username" autoCapitalize="none" required value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label>
            {t.password}
            <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        </form>
      </main>
    </>
  );
}
