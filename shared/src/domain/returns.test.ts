import { describe, expect, it } from 'vitest';
import type { ReturnOperation, SaleOperation } from '../protocol/operations';
import { returnableOnDevice, returnsTooMuch, soldOn, stillReturnable } from './returns';
import type { HeldOperation } from './held';

const rice = '00000000-0000-4000-8000-0000000000a1';
const daal = '00000000-0000-4000-8000-0000000000a2';
const base = { storeId: '00000000-0000-4000-8000-000000000001', deviceId: 'phone', createdAt: '2026-11-26T11:00:00.000Z' };
const sale: SaleOperation = {
  ...base, id: '00000000-0000-4000-9000-000000000001', type: 'sale', payment: { method: 'cash' },
  lines: [{ productId: rice, quantity: 1.5, unitPrice: 250 }, { productId: daal, quantity: 1, unitPrice: 300 }, { productId: rice, quantity: 0.5, unitPrice: 250 }],
};
const ret = (lines: ReturnOperation['lines'], fields: Partial<ReturnOperation & HeldOperation> = {}): ReturnOperation & HeldOperation => ({
  ...base, id: crypto.randomUUID(), type: 'return', saleId: sale.id, lines, ...fields,
});

describe('returns against their sale', () => {
  it('R12 what is left is what was sold, by product in thousandths, less what returns took back', () => {
    expect(soldOn(sale)).toEqual(new Map([[rice, 2000], [daal, 1000]]));
    const left = stillReturnable(soldOn(sale), [ret([{ productId: rice, quantity: 0.75, unitPrice: 250 }])]);
    expect(left.get(rice)).toBe(1250);
    expect(returnsTooMuch(left, ret([{ productId: rice, quantity: 1.25, unitPrice: 250 }]))).toBe(false);
    expect(returnsTooMuch(left, ret([{ productId: rice, quantity: 1.251, unitPrice: 250 }]))).toBe(true);
    // The same product on two lines of one return counts once, summed.
    expect(returnsTooMuch(left, ret([{ productId: rice, quantity: 1, unitPrice: 250 }, { productId: rice, quantity: 0.5, unitPrice: 250 }]))).toBe(true);
    expect(returnsTooMuch(left, ret([{ productId: '00000000-0000-4000-8000-0000000000ff', quantity: 1, unitPrice: 1 }]))).toBe(true);
  });

  it('on the device, refused and set-aside returns and returns of other sales take nothing back', () => {
    const ops = [
      sale,
      ret([{ productId: daal, quantity: 1, unitPrice: 300 }], { outcome: { status: 'rejected', receivedAt: '2026-12-03T12:00:00.000Z' } }),
      { ...ret([{ productId: daal, quantity: 1, unitPrice: 300 }]), setAside: { status: 400 } },
      ret([{ productId: daal, quantity: 1, unitPrice: 300 }], { saleId: crypto.randomUUID() }),
      ret([{ productId: rice, quantity: 2, unitPrice: 250 }]),
    ];
    expect(returnableOnDevice(sale, ops)).toEqual(new Map([[rice, 0], [daal, 1000]]));
  });
});
