import { lazy, Suspense, useState } from 'react';
import { PERIOD_DAYS, ProductsTable, Trend, type DashboardPeriod } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { Empty, Freshness, Segmented, useDashboardStrings } from './parts';
import { useFigures } from './use-figures';

// The chart library loads only when a trend is drawn.
const TrendChart = lazy(() => import('./trend-chart').then((m) => ({ default: m.TrendChart })));

export function TrendPanel({ userId, query, period, live }: { userId: string; query: string; period: DashboardPeriod; live: number }) {
  const d = useDashboardStrings();
  const { language } = useLanguage();
  const [bucket, setBucket] = useState<'hour' | 'day'>('day');
  const [productId, setProductId] = useState('');
  const products = useFigures(userId, `/api/dashboard/products?${query}&order=top&pageSize=100`, ProductsTable, 0);
  const trend = useFigures(userId, `/api/dashboard/trend?${query}&bucket=${bucket}${productId ? `&productId=${productId}` : ''}`, Trend, live);
  const chosen = products.data?.rows.find((p) => p.productId === productId);
  const label = d.chart(chosen ? (language === 'ur' ? chosen.nameUr : chosen.nameEn) : d.allProducts);
  return (
    <section aria-label={d.trends}>
      <div className="filters">
        <Segmented label={d.bucket} value={bucket} options={[{ value: 'hour', label: d.byHour }, { value: 'day', label: d.byDay }]} onChange={setBucket} />
        <label className="inline-field">
          {d.product}
          <select value={productId} onChange={(e) => setProductId(e.target.value)}>
            <option value="">{d.allProducts}</option>
            {products.data?.rows.map((p) => (
              <option key={p.productId} value={p.productId}>
                {language === 'ur' ? p.nameUr : p.nameEn} ({p.sku})
              </option>
            ))}
          </select>
        </label>
      </div>
      <Freshness figures={trend} />
      {trend.data &&
        (trend.data.points.length === 0 ? (
          <Empty>{d.noTrend}</Empty>
        ) : (
          <Suspense fallback={<div className="trend-chart" />}>
            <TrendChart points={trend.data.points} bucket={bucket} days={PERIOD_DAYS[period]} label={label} seriesLabel={d.revenue} />
          </Suspense>
        ))}
    </section>
  );
}
