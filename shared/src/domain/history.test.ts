import { describe, expect, it } from 'vitest';
import type { Operation, OperationOutcome } from '../protocol/operations';
import { droppedFromDevice, OPERATION_PULL_DAYS } from './history';

const base = { storeId: '00000000-0000-4000-8000-000000000001', deviceId: 'phone', createdAt: '2026-10-01T09:00:00.000Z' };
const rice = '00000000-0000-4000-8000-0000000000a1';
const cashSale: Operation = { ...base, id: '00000000-0000-4000-9000-000000000001', type: 'sale', payment: { method: 'cash' }, lines: [{ productId: rice, quantity: 1, unitPrice: 250 }] };
const creditSale: Operation = { ...cashSale, id: '00000000-0000-4000-9000-000000000002', payment: { method: 'credit', customerId: '00000000-0000-4000-9000-0000000000c1' } };
const outcome = (receivedAt: string, fields: Partial<OperationOutcome> = {}): OperationOutcome => ({
  status: 'applied', discrepancy: false, reason: null, message: null, current: null, resolution: null, userId: 'u', receivedAt, ...fields,
});
const received = '2026-10-01T09:00:05.000Z';
const daysAfter = (days: number, ms = 0) => new Date(Date.parse(received) + days * 86_400_000 + ms).toISOString();

describe('what a device drops from its history (P7)', () => {
  it('an applied cash sale once the server has sent something received more than the horizon after it', () => {
    expect(droppedFromDevice(cashSale, outcome(received), daysAfter(OPERATION_PULL_DAYS))).toBe(false);
    expect(droppedFromDevice(cashSale, outcome(received), daysAfter(OPERATION_PULL_DAYS, 1))).toBe(true);
  });

  it('never one the server has not answered: it is still queued, or set aside', () => {
    expect(droppedFromDevice(cashSale, undefined, daysAfter(400))).toBe(false);
  });

  it('never one the server sends whatever its age: the books are worked out from it, or a person may still decide on it', () => {
    const late = daysAfter(400);
    expect(droppedFromDevice(creditSale, outcome(received), late)).toBe(false);
    expect(droppedFromDevice(cashSale, outcome(received, { status: 'rejected', reason: 'unknown_product', message: 'no such product' }), late)).toBe(false);
    expect(droppedFromDevice(cashSale, outcome(received, { discrepancy: true, reason: 'negative_stock' }), late)).toBe(false);
    const purchase: Operation = { ...base, id: '00000000-0000-4000-9000-000000000003', type: 'purchase', lines: [{ productId: rice, quantity: 10, unitCost: 200 }] };
    expect(droppedFromDevice({ ...purchase, supplier: 'Haji Traders' }, outcome(received), late)).toBe(false);
    expect(droppedFromDevice(purchase, outcome(received), late)).toBe(true);
  });
});
