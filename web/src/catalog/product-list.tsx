import { useEffect, useState } from 'react';
import { CatalogList, CatalogProduct, type CatalogListQuery } from '@bazaar/shared';
import { useOnline } from '../components/use-online';
import { EditRow, ListCard, type Note } from '../admin/admin-parts';
import { Segmented } from '../dashboard/parts';
import { useSettled } from '../dashboard/stores-panel';
import { useLanguage } from '../i18n/language';
import { apiFetch } from '../sync/api';
import { useFetched } from '../components/use-fetched';
import { catalogStrings } from './catalog-strings';
import { ProductForm } from './product-form';

type Status = CatalogListQuery['status'];
const PAGE_SIZE = 25;

/**
 * The catalog as the server holds it now, a page at a time: searched by
 * SKU, barcode or either name; each product edited, retired or restored
 * against the version shown. `reload` changes when the catalog changed
 * elsewhere on the screen (an import, a new product).
 */
export function ProductList({ reload }: { reload: number }) {
  const c = catalogStrings[useLanguage().language];
  const [search, setSearch] = useState('');
  const q = useSettled(search.trim());
  const [status, setStatus] = useState<Status>('active');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);
  const [notice, setNotice] = useState<Note>(null);
  useEffect(() => setPage(1), [q, status]);
  const params = new URLSearchParams({ status, page: String(page), pageSize: String(PAGE_SIZE) });
  if (q) params.set('q', q);
  const { data: list, error } = useFetched(`/api/catalog/products?${params}`, CatalogList, reload + changed);

  /** Retires or restores `p` as it was shown; a 409 says someone changed it first, and the list is read again. */
  const setRetired = async (p: CatalogProduct, retire: boolean) => {
    setNotice(null);
    try {
      const saved = CatalogProduct.parse(await apiFetch(`/api/catalog/products/${p.id}/${retire ? 'retire' : 'restore'}`, { method: 'POST', body: { version: p.version } }));
      setNotice({ ok: true, text: retire ? c.retiredNotice(saved.nameEn) : c.restoredNotice(saved.nameEn) });
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
    setChanged((n) => n + 1);
  };

  return (
    <ListCard
      label={c.productsTitle}
      heading
      search={{ label: c.search, hint: c.searchHint, value: search, onChange: setSearch }}
      filters={<Segmented label={c.status} value={status} options={(['active', 'retired', 'all'] as const).map((s) => ({ value: s, label: c.statuses[s] }))} onChange={setStatus} />}
      error={error}
      note={notice}
      list={list}
      empty={q ? c.noMatch(q) : c.noProducts}
      className="catalog-table"
      head={
        <>
          <th>{c.sku}</th>
          <th>{c.name}</th>
          <th>{c.category}</th>
          <th>{c.unit}</th>
          <th className="num">{c.price}</th>
          <th className="num">{c.version}</th>
          <th>
            <span className="visually-hidden">{c.actions}</span>
          </th>
        </>
      }
      row={(p) => <ProductRow key={p.id} product={p} editing={editing === p.id} onEdit={() => setEditing(editing === p.id ? null : p.id)} onRetire={setRetired} onSaved={() => setChanged((n) => n + 1)} />}
      onPage={setPage}
    />
  );
}

/** One product, with its edit form open below it when `editing`. */
function ProductRow(props: { product: CatalogProduct; editing: boolean; onEdit: () => void; onRetire: (p: CatalogProduct, retire: boolean) => void; onSaved: () => void }) {
  const c = catalogStrings[useLanguage().language];
  const { format } = useLanguage();
  const online = useOnline();
  const p = props.product;
  const retired = p.retiredAt !== null;
  return (
    <>
      <tr data-sku={p.sku} className={retired ? 'retired-row' : undefined}>
        <td>
          <code>{p.sku}</code>
          {p.barcode && <div className="muted small">{p.barcode}</div>}
        </td>
        <td>
          <div>{p.nameEn}</div>
          <div lang="ur" dir="rtl" className="muted">
            {p.nameUr}
          </div>
          {retired && <span className="retired-badge">{c.retiredSince(format.time(p.retiredAt!))}</span>}
        </td>
        <td>{p.category}</td>
        <td>
          {p.unit}
          {p.packSize > 1 && <span className="muted small"> ×{p.packSize}</span>}
        </td>
        <td className="num">{format.price(p.defaultPrice)}</td>
        <td className="num">{p.version}</td>
        <td className="row-actions">
          <button type="button" className="link-button" aria-expanded={props.editing} aria-label={c.editOf(p.nameEn)} disabled={!online} onClick={props.onEdit}>
            {c.edit}
          </button>
          <button type="button" className="link-button" aria-label={retired ? c.restoreOf(p.nameEn) : c.retireOf(p.nameEn)} disabled={!online} onClick={() => props.onRetire(p, !retired)}>
            {retired ? c.restore : c.retire}
          </button>
        </td>
      </tr>
      {props.editing && (
        <EditRow columns={7}>
          <ProductForm product={p} onSaved={props.onSaved} onCancel={props.onEdit} />
        </EditRow>
      )}
    </>
  );
}
