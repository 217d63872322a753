/**
 * How much to order, as a plain function of what the replenishment worker
 * knows, returning every number it used so an owner can check it.
 *
 * Velocity: a weighted mean of the last 14 and 28 days' daily units (0.6 and
 * 0.4: recent weeks count more, a month keeps one odd week from swinging it).
 * Weekday seasonality: each weekday's share of the last 28 days (four of each
 * weekday) against the mean day; a shop sells more on Fridays and Sundays.
 * Demand is forecast over the lead time plus a review period (the days until
 * the next order), day by day with its weekday's factor; the suggestion
 * brings the stock to that demand plus the reorder level (the safety stock),
 * less what is on hand and on its way, rounded up to whole units.
 */
export const REVIEW_DAYS = 7;
export const DEFAULT_LEAD_TIME_DAYS = 3;
const WINDOW = 28;

export interface SuggestInput {
  /** Units sold on each of the last 28 local days, oldest first; the last is `asOf`. */
  dailyUnits: readonly number[];
  /** The local day the window ends on (YYYY-MM-DD). */
  asOf: string;
  onHand: number;
  inTransit: number;
  reorderLevel: number | null;
  leadTimeDays: number;
}

export interface Suggestion {
  dailyVelocity: number;
  suggestedQuantity: number;
  basis: {
    asOf: string;
    last14Days: number;
    last28Days: number;
    /** Sunday first, as JavaScript numbers weekdays. */
    weekdayFactors: number[];
    horizonDays: number;
    forecastDemand: number;
    reorderLevel: number;
    onHand: number;
    inTransit: number;
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const weekdayOf = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00Z`) + plus * 86_400_000).getUTCDay();

export function suggest(input: SuggestInput): Suggestion {
  const days = input.dailyUnits.slice(-WINDOW);
  const padded = [...Array(WINDOW - days.length).fill(0), ...days] as number[];
  const last28 = padded.reduce((a, b) => a + b, 0);
  const last14 = padded.slice(-14).reduce((a, b) => a + b, 0);
  const velocity = 0.6 * (last14 / 14) + 0.4 * (last28 / WINDOW);
  const meanDay = last28 / WINDOW;
  const byWeekday = Array<number>(7).fill(0);
  padded.forEach((units, i) => {
    byWeekday[weekdayOf(input.asOf, i - (WINDOW - 1))]! += units;
  });
  // Four of each weekday in 28 days; with no sales every factor is 1.
  const factors = byWeekday.map((units) => (meanDay > 0 ? units / 4 / meanDay : 1));
  const horizon = input.leadTimeDays + REVIEW_DAYS;
  let demand = 0;
  for (let d = 1; d <= horizon; d++) demand += velocity * factors[weekdayOf(input.asOf, d)]!;
  const safety = input.reorderLevel ?? 0;
  const suggested = Math.max(0, Math.ceil(round3(demand + safety - input.onHand - input.inTransit)));
  return {
    dailyVelocity: round3(velocity),
    suggestedQuantity: suggested,
    basis: {
      asOf: input.asOf,
      last14Days: round3(last14),
      last28Days: round3(last28),
      weekdayFactors: factors.map(round3),
      horizonDays: horizon,
      forecastDemand: round3(demand),
      reorderLevel: safety,
      onHand: input.onHand,
      inTransit: input.inTransit,
    },
  };
}
