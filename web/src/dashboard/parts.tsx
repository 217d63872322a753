import type { ReactNode } from 'react';
import { useLanguage } from '../i18n/language';
import { dashboardStrings, type DashboardStrings } from './dashboard-strings';
import type { Figures } from './use-figures';

export function useDashboardStrings(): DashboardStrings {
  return dashboardStrings[useLanguage().language];
}

/** Says how fresh the figures below are: updated when, or offline and as of when. */
export function Freshness({ figures }: { figures: Figures<unknown> }) {
  const d = useDashboardStrings();
  const { format } = useLanguage();
  let text: string;
  if (figures.state === 'loading' && !figures.data) text = d.loading;
  else if (!figures.fetchedAt) text = figures.state === 'offline' ? d.offlineNoFigures : (figures.error ?? d.loading);
  else if (figures.state === 'offline') text = d.asOf(format.time(figures.fetchedAt));
  else if (figures.state === 'failed') text = d.staleAsOf(format.time(figures.fetchedAt));
  else text = d.updated(format.time(figures.fetchedAt));
  const stale = figures.state === 'offline' || figures.state === 'failed';
  return (
    <p className={`freshness${stale ? ' freshness-stale' : ''}`} role="status" data-state={figures.state}>
      {text}
    </p>
  );
}

/** Rows `from`–`to` of `total`, with previous and next. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const d = useDashboardStrings();
  if (total === 0) return null;
  const last = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="pager">
      <button type="button" className="link-button" disabled={page <= 1} onClick={() => onPage(page - 1)} aria-label={d.previousPage}>
        ‹
      </button>
      <span>{d.page((page - 1) * pageSize + 1, Math.min(total, page * pageSize), total)}</span>
      <button type="button" className="link-button" disabled={page >= last} onClick={() => onPage(page + 1)} aria-label={d.nextPage}>
        ›
      </button>
    </div>
  );
}

/** A column header that sorts by its column: a second tap turns the order round. */
export function SortHeader<Sort extends string>(props: { column: Sort; sort: Sort; dir: 'asc' | 'desc'; label: string; onSort: (sort: Sort, dir: 'asc' | 'desc') => void; numeric?: boolean }) {
  const d = useDashboardStrings();
  const active = props.sort === props.column;
  return (
    <th aria-sort={active ? (props.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={props.numeric ? 'num' : undefined}>
      <button
        type="button"
        className="sort-button"
        aria-label={d.sortBy(props.label)}
        onClick={() => props.onSort(props.column, active && props.dir === 'desc' ? 'asc' : active ? 'desc' : props.column === 'name' ? 'asc' : 'desc')}
      >
        {props.label}
        <span aria-hidden="true">{active ? (props.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

export function Segmented<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={o.value === value} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

/**
 * A page of a server-side table: how fresh it is, its rows (or `empty`),
 * and the pager. `head` is the header row's cells, `row` draws one row.
 */
export function PagedTable<Row>(props: {
  figures: Figures<{ rows: Row[]; page: number; pageSize: number; total: number }>;
  empty: string;
  label?: string;
  head: ReactNode;
  row: (row: Row) => ReactNode;
  onPage?: (page: number) => void;
}) {
  const data = props.figures.data;
  return (
    <>
      <Freshness figures={props.figures} />
      {data &&
        (data.rows.length === 0 ? (
          <Empty>{props.empty}</Empty>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label={props.label}>
              <thead>
                <tr>{props.head}</tr>
              </thead>
              <tbody>{data.rows.map(props.row)}</tbody>
            </table>
          </div>
        ))}
      {data && props.onPage && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={props.onPage} />}
    </>
  );
}
