import { useState, type FormEvent } from 'react';
import { CatalogProduct, CreateProductRequest } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { apiFetch, ApiError } from '../sync/api';
import { FormFooter, type Note } from '../admin/admin-parts';
import { catalogStrings } from './catalog-strings';

type Fields = Record<'sku' | 'barcode' | 'nameEn' | 'nameUr' | 'category' | 'unit' | 'packSize' | 'defaultPrice', string>;

const empty: Fields = { sku: '', barcode: '', nameEn: '', nameUr: '', category: '', unit: 'piece', packSize: '1', defaultPrice: '' };
const fieldsOf = (p: CatalogProduct): Fields => ({
  sku: p.sku,
  barcode: p.barcode ?? '',
  nameEn: p.nameEn,
  nameUr: p.nameUr,
  category: p.category,
  unit: p.unit,
  packSize: String(p.packSize),
  defaultPrice: String(p.defaultPrice),
});

/**
 * Adds a product, or edits `product` against the version it was read at:
 * should someone have changed it since, the server refuses (409) and the
 * form shows the product as it is now, to be edited again.
 */
export function ProductForm({ product, onSaved, onCancel }: { product?: CatalogProduct; onSaved?: (saved: CatalogProduct | null) => void; onCancel?: () => void }) {
  const c = catalogStrings[useLanguage().language];
  const [base, setBase] = useState(product);
  const [form, setForm] = useState(product ? fieldsOf(product) : empty);
  const [message, setMessage] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof Fields) => ({ name, value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Digits and one point only: "1e3", "-5" or a pasted barcode in the price are refused here, as the server would.
    const number = (t: string) => (/^\d+(\.\d+)?$/.test(t.trim()) ? Number(t) : Number.NaN);
    const request = CreateProductRequest.safeParse({
      ...form,
      barcode: form.barcode.trim() || undefined,
      packSize: number(form.packSize),
      defaultPrice: number(form.defaultPrice),
    });
    if (!request.success) {
      const named = (key: PropertyKey | undefined) => (key === undefined ? '' : `${c.fieldNames[String(key) as keyof Fields] ?? String(key)}: `);
      setMessage({ ok: false, text: request.error.issues.map((i) => `${named(i.path[0])}${i.message}`).join('; ') });
      return;
    }
    setBusy(true);
    try {
      if (base) {
        const saved = CatalogProduct.parse(await apiFetch(`/api/catalog/products/${base.id}`, { method: 'PUT', body: { ...request.data, version: base.version } }));
        setBase(saved);
        setMessage({ ok: true, text: c.savedProduct(saved.nameEn) });
        onSaved?.(saved);
      } else {
        await apiFetch('/api/catalog/products', { method: 'POST', body: request.data });
        setMessage({ ok: true, text: c.addedProduct(request.data.nameEn) });
        setForm(empty);
        onSaved?.(null);
      }
    } catch (err) {
      const current = err instanceof ApiError && err.status === 409 ? CatalogProduct.safeParse((err.details as { current?: unknown } | undefined)?.current) : null;
      if (current?.success) {
        // Someone else's change stands: show it, and let the admin make theirs on top of it.
        setBase(current.data);
        setForm(fieldsOf(current.data));
        onSaved?.(current.data);
      }
      setMessage({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const title = base ? c.editTitle(base.sku) : c.addTitle;
  return (
    <form className="card op-form product-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h3>{title}</h3>
      <div className="form-grid">
        <label>
          {c.sku}
          <input {...field('sku')} required />
        </label>
        <label>
          {c.barcode}
          <input {...field('barcode')} inputMode="numeric" />
        </label>
        <label>
          {c.nameEn}
          <input {...field('nameEn')} required />
        </label>
        <label>
          {c.nameUr}
          <input {...field('nameUr')} lang="ur" dir="rtl" required />
        </label>
        <label>
          {c.category}
          <input {...field('category')} required />
        </label>
        <label>
          {c.unit}
          <select {...field('unit')}>
            {CreateProductRequest.shape.unit.options.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        <label>
          {c.packSize}
          <input {...field('packSize')} inputMode="numeric" />
        </label>
        <label>
          {c.price}
          <input {...field('defaultPrice')} inputMode="decimal" required />
        </label>
      </div>
      <FormFooter note={message} submit={base ? c.save : c.add} close={c.close} busy={busy} onClose={onCancel} />
    </form>
  );
}
