import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrendPoint } from '@bazaar/shared';
import { useLanguage } from '../i18n/language';
import { periodDays, trendSeries } from './trend-series';

/**
 * Sales over time, drawn by uPlot (a canvas chart of some 50 KB that draws
 * thousands of points in milliseconds on a tablet). Its width follows the
 * container; times are the stores' wall times (trend-series.ts).
 */
export function TrendChart({ points, bucket, days, label, seriesLabel }: { points: readonly TrendPoint[]; bucket: 'hour' | 'day'; days: number; label: string; seriesLabel: string }) {
  const box = useRef<HTMLDivElement>(null);
  const { format, language } = useLanguage();
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const series = trendSeries(points, bucket, periodDays(days));
    const day = new Intl.DateTimeFormat(language === 'ur' ? 'ur-PK' : 'en-PK', { day: 'numeric', month: 'short', timeZone: 'UTC' });
    // The content box (the padding is 0.5rem a side), as the observer below measures it.
    let width = Math.floor(element.clientWidth - 16);
    const chart = new uPlot(
      {
        width,
        height: 260,
        // Wall time as written: the stores' own hours, whatever the viewer's zone.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        // Sales from zero (a dip is not a collapse), days marked by the day.
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          bucket === 'day' ? { incrs: [86_400, 7 * 86_400], values: (_u, ticks) => ticks.map((t) => day.format(new Date(t * 1000))) } : {},
          { values: (_u, ticks) => ticks.map((v) => format.price(v)), size: 110 },
        ],
        series: [
          {},
          { label: seriesLabel, stroke: '#0f766e', fill: 'rgba(15, 118, 110, 0.12)', width: 2, points: { show: series.x.length <= 31 }, value: (_u, v) => (v === null ? '' : format.price(v)) },
        ],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      },
      [series.x, series.revenue],
      element,
    );
    // Only a change of the box's width redraws: the chart's own height never feeds back into it.
    const resize = new ResizeObserver(([entry]) => {
      const next = Math.floor(entry!.contentRect.width);
      if (next === width) return;
      width = next;
      chart.setSize({ width, height: 260 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, bucket, days, seriesLabel, format, language]);
  return (
    <figure className="trend-figure">
      <figcaption>{label}</figcaption>
      <div ref={box} className="trend-chart" role="img" aria-label={label} dir="ltr" />
    </figure>
  );
}
