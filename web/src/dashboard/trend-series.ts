import type { TrendPoint } from '@bazaar/shared';

/** The local days a period covers, ending today (YYYY-MM-DD in the device's zone, near enough to the stores'). */
export function periodDays(days: number, now = new Date()): { from: string; to: string } {
  const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const from = new Date(now);
  from.setDate(from.getDate() - (days - 1));
  return { from: local(from), to: local(now) };
}

/**
 * A trend's points as a chart's columns: x in seconds (each key's wall time,
 * as if UTC: a store's 09:00 is drawn at 09:00 whatever the viewer's zone),
 * and every hour or day of the period (`range`, widened to any point outside
 * it), a missing one as 0: no sales that hour is a zero, not a line drawn across it.
 */
export function trendSeries(points: readonly TrendPoint[], bucket: 'hour' | 'day', range?: { from: string; to: string }): { x: number[]; revenue: number[]; sales: number[] } {
  const at = (key: string) => Date.parse(bucket === 'hour' ? `${key}:00:00Z` : `${key}T00:00:00Z`) / 1000;
  const step = bucket === 'hour' ? 3600 : 86_400;
  const byTime = new Map(points.map((p) => [at(p.key), p]));
  const times = [...byTime.keys()];
  if (range) times.push(Date.parse(`${range.from}T00:00:00Z`) / 1000, Date.parse(`${range.to}T00:00:00Z`) / 1000 + (bucket === 'hour' ? 23 * 3600 : 0));
  times.sort((a, b) => a - b);
  const x: number[] = [];
  const revenue: number[] = [];
  const sales: number[] = [];
  if (times.length === 0) return { x, revenue, sales };
  for (let t = times[0]!; t <= times.at(-1)!; t += step) {
    const point = byTime.get(t);
    x.push(t);
    revenue.push(point?.revenue ?? 0);
    sales.push(point?.sales ?? 0);
  }
  return { x, revenue, sales };
}
