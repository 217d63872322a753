import { useEffect, useState } from 'react';
import { StoresTable, type StoreRow, type StoresTableQuery } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { PagedTable, SortHeader, useDashboardStrings } from './parts';
import { useFigures } from './use-figures';

type Sort = StoresTableQuery['sort'];

/** Waits until typing pauses, so a search is one request, not one per letter. */
export function useSettled(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function StoresPanel({ userId, query, live, onOpen }: { userId: string; query: string; live: number; onOpen: (store: StoreRow) => void }) {
  const d = useDashboardStrings();
  const { format } = useLanguage();
  const [search, setSearch] = useState('');
  const q = useSettled(search.trim());
  const [sort, setSort] = useState<Sort>('revenue');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [q, sort, dir, query]);
  const params = new URLSearchParams({ sort, dir, page: String(page), pageSize: '50' });
  if (q) params.set('q', q);
  const table = useFigures(userId, `/api/dashboard/stores?${query}&${params}`, StoresTable, live);
  const header = (column: Sort, numeric = true) => (
    <SortHeader
      column={column}
      sort={sort}
      dir={dir}
      label={d.sortColumns[column]}
      numeric={numeric}
      onSort={(s, next) => {
        setSort(s);
        setDir(next);
      }}
    />
  );
  return (
    <section aria-label={d.stores}>
      <div className="filters">
        <input type="search" aria-label={d.searchStores} placeholder={d.searchStores} value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <PagedTable
        figures={table}
        empty={d.noRows}
        onPage={setPage}
        head={
          <>
            {header('name', false)}
            {header('revenue')}
            {header('change')}
            {header('margin')}
            {header('stockValue')}
            {header('openAlerts')}
            {header('lastEventAt')}
          </>
        }
        row={(s) => (
          <tr key={s.id}>
            <td>
              <button type="button" className="row-link" onClick={() => onOpen(s)} dir="auto">
                {s.name}
              </button>
              <span className="muted small" dir="auto">
                {[s.city, s.region].filter(Boolean).join(' · ')}
              </span>
            </td>
            <td className="num">{format.price(s.revenue)}</td>
            <td className={`num change-${s.revenue > s.previousRevenue ? 'up' : s.revenue < s.previousRevenue ? 'down' : 'same'}`}>
              {s.revenue > s.previousRevenue ? '+' : ''}
              {format.price(s.revenue - s.previousRevenue)}
            </td>
            <td className="num">{format.price(s.margin)}</td>
            <td className="num">{format.price(Math.round(s.stockValue))}</td>
            <td className="num">{s.openAlerts > 0 ? <span className="badge badge-attention-inline">{s.openAlerts}</span> : 0}</td>
            <td className="num">{s.lastEventAt ? format.time(s.lastEventAt) : d.never}</td>
          </tr>
        )}
      />
    </section>
  );
}
