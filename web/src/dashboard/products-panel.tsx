import { useEffect, useState } from 'react';
import { ProductsTable } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { PagedTable, Segmented, useDashboardStrings } from './parts';
import { useSettled } from './stores-panel';
import { useFigures } from './use-figures';

export function ProductsPanel({ userId, query, live }: { userId: string; query: string; live: number }) {
  const d = useDashboardStrings();
  const { format } = useLanguage();
  const [order, setOrder] = useState<'top' | 'slow'>('top');
  const [search, setSearch] = useState('');
  const q = useSettled(search.trim());
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [q, order, query]);
  const params = new URLSearchParams({ order, page: String(page), pageSize: '50' });
  if (q) params.set('q', q);
  const table = useFigures(userId, `/api/dashboard/products?${query}&${params}`, ProductsTable, live);
  return (
    <section aria-label={d.products}>
      <div className="filters">
        <Segmented label={d.products} value={order} options={[{ value: 'top', label: d.top }, { value: 'slow', label: d.slow }]} onChange={setOrder} />
        <input type="search" aria-label={d.searchProducts} placeholder={d.searchProducts} value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <PagedTable
        figures={table}
        empty={d.noRows}
        onPage={setPage}
        head={
          <>
            <th>{d.product}</th>
            <th className="num">{d.units}</th>
            <th className="num">{d.revenue}</th>
            <th className="num">{d.margin}</th>
            <th className="num">{d.onHand}</th>
            <th className="num">{d.inStores}</th>
          </>
        }
        row={(p) => (
          <tr key={p.productId}>
            <td>
              <span>{p.nameEn}</span>{' '}
              <span lang="ur" dir="rtl" className="muted">
                {p.nameUr}
              </span>
              <span className="muted small">{p.sku}</span>
            </td>
            <td className="num">{format.quantity(p.units)}</td>
            <td className="num">{format.price(p.revenue)}</td>
            <td className="num">{format.price(p.margin)}</td>
            <td className="num">{format.quantity(p.onHand)}</td>
            <td className="num">{p.stores}</td>
          </tr>
        )}
      />
    </section>
  );
}
