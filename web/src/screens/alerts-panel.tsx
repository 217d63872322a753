import { useId, useMemo } from 'react';
import type { AlertDoc } from '@bazaar/shared';
import { ProductNames } from '../components/product-names';
import type { BazaarDatabase } from '../db/database';
import type { StoreView } from '../db/store-view';
import { useQueryDocs } from '../db/use-observable';
import { useLanguage } from '../i18n/language';
import type { Formatters, Strings } from '../i18n/strings';

const MAX_SHOWN = 50;

/**
 * The store's open alerts as the server's alerts worker last said (pulled, so
 * they are there offline too), newest first; a product's alert opens it.
 */
export function AlertsPanel({ db, view, onOpen }: { db: BazaarDatabase; view: StoreView; onOpen: (productId: string) => void }) {
  const { t, format } = useLanguage();
  const headingId = useId();
  const alerts = useQueryDocs<AlertDoc>(() => db.alerts.find().$, [db]);
  const open = useMemo(() => alerts.filter((a) => a.clearedAt === null).sort((a, b) => b.openedAt.localeCompare(a.openedAt)), [alerts]);
  if (open.length === 0) return null;
  return (
    <section className="alerts" aria-labelledby={headingId}>
      <h3 id={headingId}>{t.alertsTitle(open.length)}</h3>
      <p className="muted small">{t.alertsNote}</p>
      <ul>
        {open.slice(0, MAX_SHOWN).map((alert) => {
          const item = alert.productId ? view.byId.get(alert.productId) : undefined;
          return (
            <li key={alert.id} className={`alert alert-${alert.kind}`} data-kind={alert.kind}>
              <button type="button" disabled={!item} onClick={() => item && onOpen(item.product.id)}>
                <span className="alert-kind">{t.alertKinds[alert.kind]}</span>
                <span className="alert-subject">{item ? <ProductNames product={item.product} /> : t.thisStore}</span>
                <span className="muted small">
                  {detailOf(alert, t, format)} · {t.alertSince(format.time(alert.openedAt))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The figures the alert was judged on (shared/src/protocol/reports.ts `Alert.detail`), in words. */
function detailOf(alert: AlertDoc, t: Strings, format: Formatters): string {
  const number = (key: string) => (typeof alert.detail[key] === 'number' ? (alert.detail[key] as number) : null);
  if (alert.kind === 'count_mismatch') {
    const difference = number('difference');
    const counted = number('countedQuantity');
    return difference !== null && counted !== null ? t.alertCountDetail(format.quantity(difference), format.quantity(counted)) : '';
  }
  if (alert.kind === 'store_silent') {
    const last = alert.detail.lastEventAt;
    return typeof last === 'string' ? t.alertSilentDetail(format.time(last)) : '';
  }
  const quantity = number('quantity');
  return quantity !== null ? t.alertStockDetail(format.quantity(quantity)) : '';
}
