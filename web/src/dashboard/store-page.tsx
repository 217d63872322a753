import { ReplenishmentTable, type DashboardPeriod } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { AlertsPanel } from './alerts-panel';
import { toCsv } from '@bazaar/shared';
import { downloadCsv } from './download';
import { OverviewPanel } from './overview-panel';
import { PagedTable, useDashboardStrings } from './parts';
import { TrendPanel } from './trend-panel';
import { useFigures } from './use-figures';

/** One store's own page: its figures, its trend, what to order and its open alerts. */
export function StorePage(props: {
  userId: string;
  store: { id: string; name: string };
  period: DashboardPeriod;
  live: number;
  onBack: () => void;
  /** Opens the store's own stock and sync screens (its data on this device), for a store the user belongs to. */
  onOpenStock?: () => void;
}) {
  const d = useDashboardStrings();
  const { format, language } = useLanguage();
  const query = `storeIds=${props.store.id}&period=${props.period}`;
  const order = useFigures(props.userId, `/api/dashboard/replenishment?storeIds=${props.store.id}&pageSize=5000`, ReplenishmentTable, props.live);
  const download = () => {
    if (!order.data) return;
    const csv = toCsv(
      ['SKU', 'Product', 'نام', 'Unit', 'To order', 'On hand', 'Reorder at', 'Sold a day', 'Lead time (days)', 'As of'],
      order.data.rows.map((r) => [r.sku, r.nameEn, r.nameUr, r.unit, r.suggestedQuantity, r.onHand, r.reorderLevel, r.dailyVelocity, r.leadTimeDays, r.asOf]),
    );
    const slug = props.store.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'store';
    downloadCsv(`order-${slug}-${new Date().toISOString().slice(0, 10)}.csv`, csv);
  };
  return (
    <div className="store-page">
      <div className="store-page-head">
        <button type="button" className="link-button" onClick={props.onBack}>
          {language === 'ur' ? '→' : '←'} {d.backToStores}
        </button>
        <h2 dir="auto">{props.store.name}</h2>
        {props.onOpenStock && (
          <button type="button" className="link-button" onClick={props.onOpenStock}>
            {d.openStock}
          </button>
        )}
      </div>
      <OverviewPanel userId={props.userId} query={query} period={props.period} live={props.live} />
      <h3>{d.trends}</h3>
      <TrendPanel userId={props.userId} query={query} period={props.period} live={props.live} />
      <section aria-label={d.suggestedOrder}>
        <div className="section-head">
          <h3>{d.suggestedOrder}</h3>
          <button type="button" onClick={download} disabled={!order.data || order.data.rows.length === 0}>
            {d.downloadCsv}
          </button>
        </div>
        <PagedTable
          figures={order}
          empty={d.nothingToOrder}
          label={d.suggestedOrder}
          head={
            <>
              <th>{d.product}</th>
              <th className="num">{d.suggested}</th>
              <th className="num">{d.onHand}</th>
              <th className="num">{d.reorderLevel}</th>
              <th className="num">{d.dailyVelocity}</th>
              <th className="num">{d.leadTime}</th>
            </>
          }
          row={(r) => (
            <tr key={r.productId}>
              <td dir="auto">
                {language === 'ur' ? r.nameUr : r.nameEn} <span className="muted small">{r.sku}</span>
              </td>
              <td className="num">
                <strong>{format.quantity(r.suggestedQuantity)}</strong>
              </td>
              <td className="num">{format.quantity(r.onHand)}</td>
              <td className="num">{r.reorderLevel === null ? '—' : format.quantity(r.reorderLevel)}</td>
              <td className="num">{format.quantity(r.dailyVelocity)}</td>
              <td className="num">{r.leadTimeDays}</td>
            </tr>
          )}
        />
      </section>
      <h3>{d.alerts}</h3>
      <AlertsPanel userId={props.userId} query={`storeIds=${props.store.id}`} live={props.live} />
    </div>
  );
}
