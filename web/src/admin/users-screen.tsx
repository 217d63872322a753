import { useEffect, useState, type FormEvent } from 'react';
import { AdminUser, CreateUserRequest, roles, StoreList, UserAccessRequest, UserList, type Role } from '@bazaar/shared';
import { z } from 'zod';
import { useFetched } from '../components/use-fetched';
import { useOnline } from '../components/use-online';
import { Segmented } from '../dashboard/parts';
import { useSettled } from '../dashboard/stores-panel';
import { apiFetch } from '../sync/api';
import { EditRow, FormFooter, ListCard, type Note } from './admin-parts';
import { useAdminStrings } from './admin-strings';

const Regions = z.strictObject({ regions: z.array(z.string()) });
const PAGE_SIZE = 25;
type Store = { id: string; name: string };

/**
 * The admin's users: searched and filtered by role, each one's role, stores
 * (and a manager's regions) changed in place, disabled or enabled; a new
 * user added below.
 */
export default function UsersScreen({ selfId }: { selfId: string }) {
  const a = useAdminStrings();
  const online = useOnline();
  const [search, setSearch] = useState('');
  const q = useSettled(search.trim());
  const [role, setRole] = useState<Role | 'all'>('all');
  const [page, setPage] = useState(1);
  const [changed, setChanged] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<Note>(null);
  useEffect(() => setPage(1), [q, role]);
  const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (q) params.set('q', q);
  if (role !== 'all') params.set('role', role);
  const { data: list, error } = useFetched(`/api/users?${params}`, UserList, changed);
  const regions = useFetched('/api/stores/regions', Regions).data?.regions ?? [];
  const saved = () => setChanged((n) => n + 1);

  const setDisabled = async (u: AdminUser, disable: boolean) => {
    try {
      await apiFetch(`/api/users/${u.id}/${disable ? 'disable' : 'enable'}`, { method: 'POST' });
      setNotice({ ok: true, text: disable ? a.disabledNotice(u.username) : a.enabledNotice(u.username) });
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
    saved();
  };

  return (
    <main className="admin-screen">
      <h2>{a.usersTitle}</h2>
      {!online && <p className="notice">{a.needsNetwork}</p>}
      <ListCard
        label={a.usersTitle}
        search={{ label: a.search, hint: a.userSearchHint, value: search, onChange: setSearch }}
        filters={<Segmented label={a.role} value={role} options={[{ value: 'all' as const, label: a.allRoles }, ...roles.map((r) => ({ value: r, label: a.roles[r] }))]} onChange={setRole} />}
        error={error}
        note={notice}
        list={list}
        empty={a.noUsers}
        head={
          <>
            <th>{a.username}</th>
            <th>{a.role}</th>
            <th>{a.storesOf}</th>
            <th>{a.status}</th>
            <th />
          </>
        }
        row={(u) => (
          <UserRow key={u.id} user={u} self={u.id === selfId} regions={regions} editing={editing === u.id} onEdit={() => setEditing(editing === u.id ? null : u.id)} onDisable={setDisabled} onSaved={saved} />
        )}
        onPage={setPage}
      />
      <UserForm regions={regions} onSaved={saved} />
    </main>
  );
}

function UserRow(props: { user: AdminUser; self: boolean; regions: string[]; editing: boolean; onEdit: () => void; onDisable: (u: AdminUser, disable: boolean) => void; onSaved: () => void }) {
  const a = useAdminStrings();
  const online = useOnline();
  const u = props.user;
  const where = [...u.stores.map((s) => s.name), ...u.regions.map((r) => `${a.region}: ${r}`)];
  return (
    <>
      <tr data-user={u.username} className={u.disabled ? 'disabled-row' : undefined}>
        <td>
          <div>
            {u.username}
            {props.self && <span className="muted small"> ({a.you})</span>}
          </div>
          {u.displayName && <div className="muted small">{u.displayName}</div>}
        </td>
        <td>{a.roles[u.role]}</td>
        <td>{where.length === 0 ? '—' : where.join(', ')}</td>
        <td>{u.disabled ? a.disabled : a.active}</td>
        <td className="row-actions">
          <button type="button" className="link-button" aria-expanded={props.editing} aria-label={a.editOf(u.username)} disabled={!online} onClick={props.onEdit}>
            {a.edit}
          </button>
          {/* Never oneself: an admin who disables their own account cannot undo it. */}
          {!props.self && (
            <button type="button" className="link-button" aria-label={u.disabled ? a.enableOf(u.username) : a.disableOf(u.username)} disabled={!online} onClick={() => props.onDisable(u, !u.disabled)}>
              {u.disabled ? a.enable : a.disable}
            </button>
          )}
        </td>
      </tr>
      {props.editing && (
        <EditRow columns={5}>
          <UserForm user={u} self={props.self} regions={props.regions} onSaved={props.onSaved} onCancel={props.onEdit} />
        </EditRow>
      )}
    </>
  );
}

/**
 * Adds a user, or changes `user`'s role, stores and regions: the role first
 * (the server checks the regions against it), then where they work.
 */
function UserForm({ user, self, regions, onSaved, onCancel }: { user?: AdminUser; self?: boolean; regions: string[]; onSaved: () => void; onCancel?: () => void }) {
  const a = useAdminStrings();
  const [form, setForm] = useState({ username: '', displayName: '', password: '' });
  const [role, setRole] = useState<Role>(user?.role ?? 'shopkeeper');
  const [stores, setStores] = useState<Store[]>(user?.stores ?? []);
  const [chosenRegions, setRegions] = useState<string[]>(user?.regions ?? []);
  const [message, setMessage] = useState<Note>(null);
  // A new user added: the picker starts again with nothing typed.
  const [added, setAdded] = useState(0);
  const field = (name: keyof typeof form) => ({ name, value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });
  const access = { storeIds: stores.map((s) => s.id), regions: role === 'manager' ? chosenRegions : [] };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      if (user) {
        const checked = UserAccessRequest.safeParse(access);
        if (!checked.success) return setMessage({ ok: false, text: checked.error.issues.map((i) => i.message).join('; ') });
        if (role !== user.role) await apiFetch(`/api/users/${user.id}/role`, { method: 'POST', body: { role } });
        await apiFetch(`/api/users/${user.id}/access`, { method: 'PUT', body: checked.data });
        setMessage({ ok: true, text: a.accessSaved(user.username) });
      } else {
        const checked = CreateUserRequest.safeParse({ ...form, displayName: form.displayName.trim() || undefined, role, ...access });
        if (!checked.success) return setMessage({ ok: false, text: checked.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`).join('; ') });
        await apiFetch('/api/users', { method: 'POST', body: checked.data });
        setMessage({ ok: true, text: a.userAdded(checked.data.username) });
        setForm({ username: '', displayName: '', password: '' });
        setStores([]);
        setRegions([]);
        setAdded((n) => n + 1);
      }
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };

  const title = user ? a.accessOf(user.username) : a.addUser;
  return (
    <form className="card op-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h3>{title}</h3>
      {!user && (
        <div className="form-grid">
          <label>
            {a.username}
            <input {...field('username')} required autoComplete="off" />
          </label>
          <label>
            {a.displayName}
            <input {...field('displayName')} />
          </label>
          <label>
            {a.password}
            <input {...field('password')} type="password" required autoComplete="new-password" placeholder={a.passwordHint} />
          </label>
        </div>
      )}
      <div className="form-grid">
        <label>
          {a.role}
          {/* An admin does not take away their own role: nobody would be left to give it back. */}
          <select name="role" value={role} disabled={self} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {a.roles[r]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <StorePicker key={added} chosen={stores} onChange={setStores} />
      {role === 'manager' && (
        <fieldset className="plain">
          <legend>{a.regionsOf}</legend>
          <p className="muted small">{a.regionsHelp}</p>
          {regions.length === 0 ? (
            <p className="muted small">{a.noRegions}</p>
          ) : (
            <div className="checks">
              {regions.map((r) => (
                <label key={r}>
                  <input type="checkbox" checked={chosenRegions.includes(r)} onChange={(e) => setRegions(e.target.checked ? [...chosenRegions, r] : chosenRegions.filter((x) => x !== r))} />
                  {r}
                </label>
              ))}
            </div>
          )}
        </fieldset>
      )}
      <FormFooter note={message} submit={user ? a.save : a.add} close={a.close} onClose={onCancel} />
    </form>
  );
}

/** Stores chosen by name: the first few that match what is typed, from the server (there may be thousands). */
function StorePicker({ chosen, onChange }: { chosen: Store[]; onChange: (stores: Store[]) => void }) {
  const a = useAdminStrings();
  const [search, setSearch] = useState('');
  const q = useSettled(search.trim());
  const matches = useFetched(q ? `/api/stores?${new URLSearchParams({ q, pageSize: '6' })}` : null, StoreList).data;
  const offered = q ? (matches?.rows ?? []).filter((s) => !chosen.some((c) => c.id === s.id)) : [];
  return (
    <fieldset className="plain store-picker">
      <legend>{a.storesOf}</legend>
      {chosen.length === 0 ? (
        <p className="muted small">{a.noneChosen}</p>
      ) : (
        <ul className="chips">
          {chosen.map((s) => (
            <li key={s.id}>
              {s.name}
              <button type="button" aria-label={a.removeStore(s.name)} onClick={() => onChange(chosen.filter((c) => c.id !== s.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="search">
        <span>{a.findStore}</span>
        <input type="search" value={search} placeholder={a.findStoreHint} onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
      </label>
      {offered.length > 0 && (
        <div className="matches">
          {offered.map((s) => (
            <button key={s.id} type="button" className="secondary small" aria-label={a.addThisStore(s.name)} onClick={() => onChange([...chosen, { id: s.id, name: s.name }])}>
              + {s.name}
              {s.city ? ` (${s.city})` : ''}
            </button>
          ))}
        </div>
      )}
    </fieldset>
  );
}
