import { describe, expect, it } from 'vitest';
import { periodDays, trendSeries } from './trend-series';

const point = (key: string, revenue: number) => ({ key, revenue, sales: 1, units: 1 });

describe('trendSeries', () => {
  it('fills the days between with zeros, in order', () => {
    const s = trendSeries([point('2026-12-03', 30), point('2026-11-30', 10)], 'day');
    expect(s.revenue).toEqual([10, 0, 0, 30]);
    expect(s.x[1]! - s.x[0]!).toBe(86_400);
    expect(new Date(s.x[0]! * 1000).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('hours across midnight, each at its wall time', () => {
    const s = trendSeries([point('2026-11-30T22', 5), point('2026-12-01T01', 7)], 'hour');
    expect(s.revenue).toEqual([5, 0, 0, 7]);
    expect(new Date(s.x.at(-1)! * 1000).toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('nothing to draw for no points', () => {
    expect(trendSeries([], 'day')).toEqual({ x: [], revenue: [], sales: [] });
  });

  it('covers the whole period, zeros where nothing sold, and any point outside it', () => {
    const week = trendSeries([point('2026-12-01', 40)], 'day', { from: '2026-11-26', to: '2026-12-02' });
    expect(week.revenue).toEqual([0, 0, 0, 0, 0, 40, 0]);
    const today = trendSeries([point('2026-12-02T09', 5)], 'hour', { from: '2026-12-02', to: '2026-12-02' });
    expect(today.x).toHaveLength(24);
    expect(today.revenue[9]).toBe(5);
    // A store a zone ahead already in tomorrow: drawn too.
    expect(trendSeries([point('2026-12-03', 1)], 'day', { from: '2026-12-02', to: '2026-12-02' }).revenue).toEqual([0, 1]);
  });

  it('a period’s days end today on the device', () => {
    expect(periodDays(7, new Date(2026, 11, 2, 23, 30))).toEqual({ from: '2026-11-26', to: '2026-12-02' });
    expect(periodDays(1, new Date(2026, 0, 1, 0, 5))).toEqual({ from: '2026-01-01', to: '2026-01-01' });
  });
});
