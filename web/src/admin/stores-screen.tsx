import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { AdminStore, CreateStoreRequest, StoreList, UpdateStoreRequest } from '@bazaar/shared';
import { z } from 'zod';
import { useFetched } from '../components/use-fetched';
import { useOnline } from '../components/use-online';
import { useSettled } from '../dashboard/stores-panel';
import { apiFetch } from '../sync/api';
import { EditRow, FormFooter, ListCard, type Note } from './admin-parts';
import { useAdminStrings } from './admin-strings';

const Regions = z.strictObject({ regions: z.array(z.string()) });
const PAGE_SIZE = 25;
const DEFAULT_ZONE = 'Asia/Karachi';

/** The admin's stores: searched, a page at a time, each edited in place (name, city, region, time zone); a new one added below. */
export default function StoresScreen() {
  const a = useAdminStrings();
  const online = useOnline();
  const [search, setSearch] = useState('');
  const q = useSettled(search.trim());
  const [page, setPage] = useState(1);
  const [changed, setChanged] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  useEffect(() => setPage(1), [q]);
  const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (q) params.set('q', q);
  const { data: list, error } = useFetched(`/api/stores?${params}`, StoreList, changed);
  const regions = useFetched('/api/stores/regions', Regions, changed).data?.regions ?? [];
  const saved = () => setChanged((n) => n + 1);

  return (
    <main className="admin-screen">
      <h2>{a.storesTitle}</h2>
      {!online && <p className="notice">{a.needsNetwork}</p>}
      <ListCard
        label={a.storesTitle}
        search={{ label: a.search, hint: a.storeSearchHint, value: search, onChange: setSearch }}
        error={error}
        list={list}
        empty={a.noStores}
        head={
          <>
            <th>{a.name}</th>
            <th>{a.city}</th>
            <th>{a.region}</th>
            <th>{a.timeZone}</th>
            <th>{a.owners}</th>
            <th />
          </>
        }
        row={(s) => <StoreRow key={s.id} store={s} regions={regions} editing={editing === s.id} onEdit={() => setEditing(editing === s.id ? null : s.id)} onSaved={saved} />}
        onPage={setPage}
      />
      <StoreForm regions={regions} onSaved={saved} />
    </main>
  );
}

function StoreRow(props: { store: AdminStore; regions: string[]; editing: boolean; onEdit: () => void; onSaved: () => void }) {
  const a = useAdminStrings();
  const online = useOnline();
  const s = props.store;
  return (
    <>
      <tr data-store={s.name}>
        <td>{s.name}</td>
        <td>{s.city ?? '—'}</td>
        <td>{s.region ?? '—'}</td>
        <td>{s.timeZone}</td>
        <td>{s.owners.length === 0 ? <span className="muted">{a.noOwner}</span> : s.owners.map((o) => o.username).join(', ')}</td>
        <td>
          <button type="button" className="link-button" aria-expanded={props.editing} aria-label={a.editOf(s.name)} disabled={!online} onClick={props.onEdit}>
            {a.edit}
          </button>
        </td>
      </tr>
      {props.editing && (
        <EditRow columns={6}>
          <StoreForm store={s} regions={props.regions} onSaved={props.onSaved} onCancel={props.onEdit} />
        </EditRow>
      )}
    </>
  );
}

/** Every time zone the browser knows, the store's own first should it be missing from the list. */
function useTimeZones(current: string): string[] {
  return useMemo(() => {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [DEFAULT_ZONE];
    return zones.includes(current) ? zones : [current, ...zones];
  }, [current]);
}

/** Adds a store, or edits `store`. */
function StoreForm({ store, regions, onSaved, onCancel }: { store?: AdminStore; regions: string[]; onSaved: () => void; onCancel?: () => void }) {
  const a = useAdminStrings();
  const empty = { name: '', city: '', region: '', timeZone: DEFAULT_ZONE };
  const [form, setForm] = useState(store ? { name: store.name, city: store.city ?? '', region: store.region ?? '', timeZone: store.timeZone } : empty);
  const [message, setMessage] = useState<Note>(null);
  const zones = useTimeZones(form.timeZone);
  const field = (name: keyof typeof empty) => ({ name, value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });
  const listId = `regions-${store?.id ?? 'new'}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name: form.name, city: form.city.trim() || (store ? null : undefined), region: form.region.trim() || (store ? null : undefined), timeZone: form.timeZone };
    const checked = (store ? UpdateStoreRequest : CreateStoreRequest).safeParse(body);
    if (!checked.success) return setMessage({ ok: false, text: checked.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`).join('; ') });
    try {
      if (store) await apiFetch(`/api/stores/${store.id}`, { method: 'PUT', body: checked.data });
      else await apiFetch('/api/stores', { method: 'POST', body: checked.data });
      setMessage({ ok: true, text: store ? a.saved(checked.data.name) : a.added(checked.data.name) });
      if (!store) setForm(empty);
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };

  const title = store ? a.editStore(store.name) : a.addStore;
  return (
    <form className="card op-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h3>{title}</h3>
      <div className="form-grid">
        <label>
          {a.name}
          <input {...field('name')} required />
        </label>
        <label>
          {a.city}
          <input {...field('city')} />
        </label>
        <label>
          {a.region}
          <input {...field('region')} list={listId} autoComplete="off" />
          <datalist id={listId}>
            {regions.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </label>
        <label>
          {a.timeZone}
          <select {...field('timeZone')}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{a.timeZoneHelp}</p>
      <FormFooter note={message} submit={store ? a.save : a.add} close={a.close} onClose={onCancel} />
    </form>
  );
}
