import { useEffect, useState } from 'react';
import { AlertsTable, alertKinds, type AlertKind, type AlertRow } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { PagedTable, useDashboardStrings } from './parts';
import { useFigures } from './use-figures';

/** What an alert was judged on, in a few words: "5 held, reorder at 10". */
function detailOf(alert: AlertRow, quantity: (n: number) => string): string {
  const d = alert.detail as { quantity?: number; reorderLevel?: number; difference?: number; countedQuantity?: number };
  if (alert.kind === 'count_mismatch' && d.difference !== undefined) return `${d.difference > 0 ? '+' : ''}${quantity(d.difference)}`;
  if (d.quantity !== undefined) return d.reorderLevel !== undefined ? `${quantity(d.quantity)} / ${quantity(d.reorderLevel)}` : quantity(d.quantity);
  return '';
}

export function AlertsPanel({ userId, query, live, onOpenStore }: { userId: string; query: string; live: number; onOpenStore?: (store: { id: string; name: string }) => void }) {
  const d = useDashboardStrings();
  const { format, language } = useLanguage();
  const [kind, setKind] = useState<AlertKind | ''>('');
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [kind, query]);
  const params = new URLSearchParams({ page: String(page), pageSize: '50' });
  if (kind) params.set('kind', kind);
  const table = useFigures(userId, `/api/dashboard/alerts?${query}&${params}`, AlertsTable, live);
  return (
    <section aria-label={d.alerts}>
      <div className="filters">
        <label className="inline-field">
          {d.kind}
          <select value={kind} onChange={(e) => setKind(e.target.value as AlertKind | '')}>
            <option value="">{d.allKinds}</option>
            {alertKinds.map((k) => (
              <option key={k} value={k}>
                {d.alertKinds[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTable
        figures={table}
        empty={d.noAlerts}
        onPage={setPage}
        head={
          <>
            <th>{d.store}</th>
            <th>{d.product}</th>
            <th>{d.kind}</th>
            <th className="num">{d.detail}</th>
            <th className="num">{d.openedAt}</th>
          </>
        }
        row={(a) => (
          <tr key={a.id}>
            <td>
              {onOpenStore ? (
                <button type="button" className="row-link" dir="auto" onClick={() => onOpenStore({ id: a.storeId, name: a.storeName })}>
                  {a.storeName}
                </button>
              ) : (
                <span dir="auto">{a.storeName}</span>
              )}
            </td>
            <td dir="auto">{a.productId ? (language === 'ur' ? a.nameUr : a.nameEn) : '—'}</td>
            <td>
              <span className={`alert-kind alert-${a.kind}`}>{d.alertKinds[a.kind]}</span>
            </td>
            <td className="num">{detailOf(a, format.quantity)}</td>
            <td className="num">{format.time(a.openedAt)}</td>
          </tr>
        )}
      />
    </section>
  );
}
