import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { CreateUserRequest, DeviceList, StaffList, type DeviceInfo, type StaffMember } from '@bazaar/shared';
import { useOnline } from '../components/use-online';
import { useLanguage } from '../i18n/language';
import { apiFetch } from '../sync/api';
import { deviceId } from '../sync/session';
import { staffStrings } from './staff-strings';
import './staff.css';

/**
 * An owner's people and devices for the open store: add a shopkeeper,
 * disable one (signed out everywhere at once), see and revoke devices. These
 * are the server's records, so the screen needs the network; the shop's own
 * work goes on offline beside it.
 */
export default function StaffScreen({ storeId, userId }: { storeId: string; userId: string }) {
  const s = staffStrings[useLanguage().language];
  const { format } = useLanguage();
  const online = useOnline();
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [people, machines] = await Promise.all([apiFetch<unknown>(`/api/stores/${storeId}/staff`), apiFetch<unknown>(`/api/stores/${storeId}/devices`)]);
      setStaff(StaffList.parse(people).staff);
      setDevices(DeviceList.parse(machines).devices);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [storeId]);
  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setConfirming(null);
    setMessage(null);
    try {
      await work();
      setMessage(done);
      setError(null);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const nameOf = (m: { username: string; displayName?: string | null }) => m.displayName || m.username;

  if (!online && !staff) return <main className="staff-screen"><p className="notice">{s.needsNetwork}</p></main>;
  return (
    <main className="staff-screen">
      <h2>{s.title}</h2>
      {!online && <p className="notice">{s.needsNetwork}</p>}
      {message && <p className="ok" role="status">{message}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <section aria-label={s.staff}>
        <h3>{s.staff}</h3>
        <ul className="staff-list">
          {staff?.map((m) => (
            <li key={m.id} className={`staff-row${m.disabled ? ' staff-disabled' : ''}`} data-username={m.username}>
              <div>
                <strong dir="auto">{nameOf(m)}</strong> <span className="muted">@{m.username}</span>
                <div className="muted small">
                  {s.roles[m.role]}
                  {m.id === userId ? ` · ${s.you}` : ''} · {m.disabled ? s.disabled : m.lastSeenAt ? s.lastSeen(format.time(m.lastSeenAt)) : s.neverSeen}
                </div>
              </div>
              {m.id !== userId && !m.disabled && m.role === 'shopkeeper' && (
                <Confirmable
                  open={confirming === `user:${m.id}`}
                  text={s.disableShort}
                  label={s.disable(nameOf(m))}
                  question={s.confirmDisable(nameOf(m))}
                  words={s}
                  disabled={!online}
                  onAsk={() => setConfirming(`user:${m.id}`)}
                  onCancel={() => setConfirming(null)}
                  onConfirm={() => void act(() => apiFetch(`/api/users/${m.id}/disable`, { method: 'POST' }), s.disabledDone(nameOf(m)))}
                />
              )}
              {m.id !== userId && m.disabled && m.role === 'shopkeeper' && (
                <button type="button" className="secondary" disabled={!online} aria-label={s.enable(nameOf(m))} onClick={() => void act(() => apiFetch(`/api/users/${m.id}/enable`, { method: 'POST' }), s.enabledDone(nameOf(m)))}>
                  {s.enableShort}
                </button>
              )}
            </li>
          ))}
        </ul>
        <AddShopkeeper storeId={storeId} disabled={!online} onAdded={(name) => void act(async () => {}, s.added(name))} onError={setError} />
      </section>
      <section aria-label={s.devices}>
        <h3>{s.devices}</h3>
        {devices?.length === 0 && <p className="muted">{s.noDevices}</p>}
        <ul className="staff-list">
          {devices?.map((device) => {
            const key = `device:${device.userId}:${device.deviceId}`;
            // Revoking the device in hand would sign its owner out mid-work: that is what Sign out is for.
            const thisOne = device.userId === userId && device.deviceId === deviceId();
            return (
              <li key={key} className={`staff-row${device.revokedAt ? ' staff-disabled' : ''}`}>
                <div>
                  <strong dir="auto">{device.username}</strong> <span className="muted">{s.roles[device.role]}</span>
                  <div className="muted small">
                    {thisOne ? s.thisDevice : `${s.device} ${device.deviceId.slice(0, 8)}`} · {device.userAgent ? shortAgent(device.userAgent) : ''} · {device.revokedAt ? s.revoked : s.lastSeen(format.time(device.lastSeenAt))}
                  </div>
                </div>
                {!device.revokedAt && !thisOne && (
                  <Confirmable
                    open={confirming === key}
                    text={s.revokeShort}
                    label={s.revoke(device.username)}
                    question={s.confirmRevoke(device.username)}
                    words={s}
                    disabled={!online}
                    onAsk={() => setConfirming(key)}
                    onCancel={() => setConfirming(null)}
                    onConfirm={() =>
                      void act(
                        () => apiFetch(`/api/stores/${storeId}/users/${device.userId}/devices/${encodeURIComponent(device.deviceId)}/revoke`, { method: 'POST' }),
                        s.revokedDone,
                      )
                    }
                  />
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </main>
  );
}

/** "Chrome on Android" from a user agent: enough to tell a phone from a tablet. */
function shortAgent(agent: string): string {
  const browser = /Edg\//.test(agent) ? 'Edge' : /Chrome\//.test(agent) ? 'Chrome' : /Firefox\//.test(agent) ? 'Firefox' : /Safari\//.test(agent) ? 'Safari' : 'Browser';
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows' : /Mac OS/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : '';
  return system ? `${browser}, ${system}` : browser;
}

function Confirmable(props: {
  open: boolean;
  /** The button's word, and its full name for screen readers and tests. */
  text: string;
  label: string;
  question: string;
  words: { cancel: string; confirm: string };
  disabled: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  if (!props.open) {
    return (
      <button type="button" className="secondary" disabled={props.disabled} onClick={props.onAsk} aria-label={props.label}>
        {props.text}
      </button>
    );
  }
  return (
    <div className="confirm" role="alertdialog" aria-label={props.label}>
      <p>{props.question}</p>
      <div className="actions">
        <button type="button" className="primary danger" onClick={props.onConfirm}>
          {props.words.confirm}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {props.words.cancel}
        </button>
      </div>
    </div>
  );
}

function AddShopkeeper({ storeId, disabled, onAdded, onError }: { storeId: string; disabled: boolean; onAdded: (name: string) => void; onError: (message: string) => void }) {
  const s = staffStrings[useLanguage().language];
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The server's own schema, checked here first: a mistake is marked before anything is sent.
    const request = CreateUserRequest.safeParse({ username, password, role: 'shopkeeper', storeIds: [storeId], ...(displayName.trim() ? { displayName } : {}) });
    if (!request.success) {
      setProblem(request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await apiFetch('/api/users', { method: 'POST', body: request.data });
      setUsername('');
      setDisplayName('');
      setPassword('');
      onAdded(request.data.displayName ?? request.data.username);
    } catch (err) {
      onError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="op-form" aria-label={s.addShopkeeper} onSubmit={(e) => void submit(e)}>
      <h4>{s.addShopkeeper}</h4>
      <label>
        {s.username}
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" autoCapitalize="none" placeholder={s.usernameHint} required />
      </label>
      <label>
        {s.displayName}
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} dir="auto" />
      </label>
      <label>
        {s.password}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />
      </label>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <button type="submit" className="primary" disabled={disabled || busy}>
        {s.add}
      </button>
    </form>
  );
}
