import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { movementMoney, type MovementEvent } from '@bazaar/shared';
import { costKey, localHour, localHourByIntl, moveAtCost, project } from './projection';

const store = randomUUID();
const product = randomUUID();
let version = 0;
const movement = (operationType: string, delta: number, money: Partial<MovementEvent> = {}, clientTime = '2026-12-01T09:30:00.000Z'): MovementEvent => ({
  eventId: randomUUID(), storeId: store, operationId: randomUUID(), deviceId: 'phone', userId: randomUUID(),
  clientTime, occurredAt: new Date().toISOString(), type: 'stock.moved', productId: product, operationType,
  adjustmentReason: null, delta, quantity: 0, version: ++version, discrepancy: false, lineNo: 0, ...money,
});
const karachi = () => 'Asia/Karachi';

describe('the analytics fold', () => {
  it('a sale after a purchase has the purchase cost; margin compares the same units', () => {
    const { cells, costs } = project(
      [movement('purchase', 10, { unitCost: 95.5 }), movement('sale', -3, { unitPrice: 120, paymentMethod: 'cash' }), movement('sale', -2, { unitPrice: 120, paymentMethod: 'credit', lineNo: 1 })],
      new Map(),
      karachi,
    );
    const [cell] = [...cells.values()];
    expect(cell).toMatchObject({ day: '2026-12-01', hour: 14, tickets: 1, sales: 2, unitsMilli: 5000, revenuePaisa: 60000, cashPaisa: 36000, creditPaisa: 24000, costPaisa: 47750, costedRevenuePaisa: 60000 });
    expect(costs.get(costKey(store, product))).toEqual({ onHandMilli: 5000n, basisPaisa: 47750n });
  });

  it('units sold beyond what is on hand have no cost, and neither does their revenue', () => {
    const { cells } = project([movement('purchase', 1, { unitCost: 50 }), movement('sale', -3, { unitPrice: 80 })], new Map(), karachi);
    expect([...cells.values()][0]).toMatchObject({ revenuePaisa: 24000, costPaisa: 5000, costedRevenuePaisa: 8000 });
  });

  it('returns are kept apart; stock below zero has no cost until a purchase', () => {
    const below = moveAtCost({ onHandMilli: -2000n, basisPaisa: 0n }, 10_000n, 30);
    expect(below.next).toEqual({ onHandMilli: 8000n, basisPaisa: 24000n });
    const { cells } = project([movement('return', 1.5, { unitPrice: 100 })], new Map(), karachi);
    expect([...cells.values()][0]).toMatchObject({ sales: 0, returnTickets: 1, returnedMilli: 1500, refundsPaisa: 15000 });
  });

  it('a carton bought and sold is priced per carton: its revenue and cost are not 24 times over', () => {
    const { cells, costs } = project(
      [
        movement('purchase', 48, { ...movementMoney({ unitCost: 2000, packSize: 24 }) }),
        movement('sale', -24, { ...movementMoney({ unitPrice: 2300, packSize: 24 }), paymentMethod: 'cash' }),
        movement('sale', -5, { unitPrice: 100, lineNo: 1 }),
      ],
      new Map(),
      karachi,
    );
    const cell = [...cells.values()][0]!;
    expect(cell).toMatchObject({ unitsMilli: 29_000, revenuePaisa: 230_000 + 50_000, costPaisa: Math.round((29 * 2000 * 100) / 24) });
    expect(costs.get(costKey(store, product))).toEqual({ onHandMilli: 19_000n, basisPaisa: 400_000n - BigInt(Math.round((29 * 2000 * 100) / 24)) });
    // A reader that knows no packs, from the per-piece figures alone, still counts the carton's Rs 2,300 to the paisa.
    const older = project([movement('sale', -24, { unitPrice: movementMoney({ unitPrice: 2300, packSize: 24 }).unitPrice! })], new Map(), karachi);
    expect([...older.cells.values()][0]!.revenuePaisa).toBe(230_000);
  });

  it('thousandths add up exactly: a thousand sales of 0.1 kg at Rs 0.33', () => {
    const events = [movement('purchase', 100, { unitCost: 0.25 }), ...Array.from({ length: 1000 }, () => movement('sale', -0.1, { unitPrice: 0.33 }))];
    const { cells, costs } = project(events, new Map(), karachi);
    const cell = [...cells.values()][0]!;
    expect(cell.unitsMilli).toBe(100_000);
    expect(cell.revenuePaisa).toBe(1000 * 3); // each line 0.033 rupees rounds to 3 paisa
    expect(costs.get(costKey(store, product))).toEqual({ onHandMilli: 0n, basisPaisa: 0n });
    expect(cell.costPaisa).toBe(2500);
  });

  it("days are the store's local days", () => {
    expect(localHour('2026-12-01T19:30:00.000Z', 'Asia/Karachi')).toEqual({ day: '2026-12-02', hour: 0 });
    expect(localHour('2026-12-01T19:30:00.000Z', 'UTC')).toEqual({ day: '2026-12-01', hour: 19 });
  });

  it('the cached offsets give what Intl gives, across zones with half-hour offsets and summer time', () => {
    const zones = ['Asia/Karachi', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Dhaka', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Tehran', 'UTC'];
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (ms, zone) => {
        const iso = new Date(ms).toISOString();
        expect(localHour(iso, zone)).toEqual(localHourByIntl(iso, zone));
      }),
      { numRuns: 5000 },
    );
    // Beside summer-time changes, to the millisecond: Lord Howe's in October falls on a half hour of UTC.
    const changes: [string, string][] = [['2026-10-03T15:30:00.000Z', 'Australia/Lord_Howe'], ['2026-04-04T15:00:00.000Z', 'Australia/Lord_Howe'], ['2026-03-29T01:00:00.000Z', 'Europe/London'], ['2026-11-01T06:00:00.000Z', 'America/New_York']];
    fc.assert(
      fc.property(fc.constantFrom(...changes), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), ([at, zone], by) => {
        const iso = new Date(Date.parse(at) + by).toISOString();
        expect(localHour(iso, zone)).toEqual(localHourByIntl(iso, zone));
      }),
      { numRuns: 3000 },
    );
  });
});
