import { describe, expect, it } from 'vitest';
import { suggest } from './suggest';

const base = { asOf: '2026-12-01', onHand: 0, inTransit: 0, reorderLevel: null, leadTimeDays: 3 };

describe('replenishment suggestions', () => {
  it('a steady 10 a day for 28 days, 3 days lead and a week between orders: 100 to order from empty', () => {
    const s = suggest({ ...base, dailyUnits: Array(28).fill(10) });
    expect(s.dailyVelocity).toBe(10);
    expect(s.basis.weekdayFactors).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(s.basis.horizonDays).toBe(10);
    expect(s.suggestedQuantity).toBe(100);
  });

  it('what is on hand and on its way is taken off, the reorder level added; never below zero', () => {
    expect(suggest({ ...base, dailyUnits: Array(28).fill(10), onHand: 30, inTransit: 20, reorderLevel: 15 }).suggestedQuantity).toBe(65);
    expect(suggest({ ...base, dailyUnits: Array(28).fill(1), onHand: 500 }).suggestedQuantity).toBe(0);
  });

  it('recent weeks weigh more: a product that started selling two weeks ago', () => {
    const s = suggest({ ...base, dailyUnits: [...Array(14).fill(0), ...Array(14).fill(7)] });
    expect(s.dailyVelocity).toBeCloseTo(0.6 * 7 + 0.4 * 3.5, 3);
  });

  it('weekday seasonality: a shop that sells only on Fridays forecasts Fridays', () => {
    // 2026-12-01 is a Tuesday; the window's Fridays sell 28 units, other days none.
    const daily = Array.from({ length: 28 }, (_, i) => (new Date(Date.parse('2026-12-01T00:00:00Z') - (27 - i) * 86_400_000).getUTCDay() === 5 ? 28 : 0));
    const s = suggest({ ...base, dailyUnits: daily });
    expect(s.basis.weekdayFactors[5]).toBe(7);
    expect(s.basis.weekdayFactors[2]).toBe(0);
    // The 10 days after Tuesday the 1st hold two Fridays (the 4th and the 11th), each 7 times the mean day of 4.
    expect(s.dailyVelocity).toBe(4);
    expect(s.basis.forecastDemand).toBe(56);
  });

  it('no sales: nothing to order beyond the reorder level', () => {
    expect(suggest({ ...base, dailyUnits: [], reorderLevel: 6, onHand: 2 }).suggestedQuantity).toBe(4);
  });
});
