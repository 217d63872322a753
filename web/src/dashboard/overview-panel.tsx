import { Overview, type DashboardPeriod } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { Freshness, useDashboardStrings } from './parts';
import { useFigures } from './use-figures';

/** How a figure moved against the period before, for people: +12%, −3%, new, no change. */
export function changeLabel(current: number, previous: number, words: { newSales: string; noChange: string }, percent: Intl.NumberFormat): { text: string; direction: 'up' | 'down' | 'same' } {
  if (current === previous) return { text: words.noChange, direction: 'same' };
  if (previous === 0) return { text: words.newSales, direction: 'up' };
  const change = (current - previous) / Math.abs(previous);
  return { text: percent.format(change), direction: change > 0 ? 'up' : 'down' };
}

export function OverviewPanel({ userId, query, period, live }: { userId: string; query: string; period: DashboardPeriod; live: number }) {
  const d = useDashboardStrings();
  const { format, language } = useLanguage();
  const figures = useFigures(userId, `/api/dashboard/overview?${query}`, Overview, live);
  const percent = new Intl.NumberFormat(language === 'ur' ? 'ur-PK' : 'en-PK', { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const o = figures.data;
  const card = (label: string, current: string, now: number, before: number, shownBefore: string) => {
    const change = changeLabel(now, before, d, percent);
    return (
      <div className="figure-card" key={label}>
        <h3>{label}</h3>
        <p className="figure" dir="ltr">
          {current}
        </p>
        <p className="figure-change">
          <span className={`change change-${change.direction}`}>{change.text}</span> <span className="muted">{d.against(shownBefore, d.previousPeriod[period])}</span>
        </p>
      </div>
    );
  };
  return (
    <section aria-label={d.overview}>
      <Freshness figures={figures} />
      {o && (
        <>
          <div className="figure-cards" data-testid="overview">
            {card(d.revenue, format.price(o.current.revenue), o.current.revenue, o.previous.revenue, format.price(o.previous.revenue))}
            {card(d.salesCount, format.quantity(o.current.sales), o.current.sales, o.previous.sales, format.quantity(o.previous.sales))}
            {card(d.units, format.quantity(o.current.units), o.current.units, o.previous.units, format.quantity(o.previous.units))}
            {card(d.margin, format.price(o.current.margin), o.current.margin, o.previous.margin, format.price(o.previous.margin))}
            <div className="figure-card">
              <h3>{d.cashCredit}</h3>
              <p className="figure figure-pair" dir="ltr">
                {format.price(o.current.cash)} / {format.price(o.current.credit)}
              </p>
              <CashCreditBar cash={o.current.cash} credit={o.current.credit} />
            </div>
            {card(d.refunds, format.price(o.current.refunds), o.current.refunds, o.previous.refunds, format.price(o.previous.refunds))}
          </div>
          <p className="muted">{d.sellingStores(o.sellingStores, o.stores)}</p>
        </>
      )}
    </section>
  );
}

function CashCreditBar({ cash, credit }: { cash: number; credit: number }) {
  const total = cash + credit;
  if (total <= 0) return null;
  return (
    <div className="split-bar" aria-hidden="true">
      <span className="split-cash" style={{ inlineSize: `${(cash / total) * 100}%` }} />
    </div>
  );
}
