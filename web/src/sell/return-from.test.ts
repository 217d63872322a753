import { describe, expect, it } from 'vitest';
import { returnableOnDevice, soldOn, type HeldOperation, type SaleOperation } from '@bazaar/shared';
import { returnEntries, saleByReceipt, withFetched } from './return-from';

const coffee = 'c0000000-0000-4000-8000-000000000001';
const atta = 'c0000000-0000-4000-8000-000000000002';
const sale = (id: string, lines: SaleOperation['lines'], extra: object = {}): SaleOperation & HeldOperation => ({
  id, storeId: 'c0000000-0000-4000-8000-0000000000aa', deviceId: 'phone', createdAt: '2026-12-03T10:00:00.000Z', type: 'sale', lines, payment: { method: 'cash' }, ...extra,
});

describe('a return taken from its sale', () => {
  it('comes back by the carton while whole cartons are left, else in pieces at the loose price', () => {
    const byCarton = sale('1a2b3c4d-0000-4000-8000-000000000001', [{ productId: coffee, quantity: 2, unitPrice: 17000, packSize: 24 }, { productId: atta, quantity: 1.5, unitPrice: 120 }]);
    expect(returnEntries(byCarton, soldOn(byCarton))).toEqual([
      { productId: coffee, unitPrice: 17000, text: '2', packSize: 24, piecePrice: 708.33 },
      { productId: atta, unitPrice: 120, text: '1.5' },
    ]);
    // 30 of the 48 pieces left: pieces, at a 24th of the carton.
    expect(returnEntries(byCarton, new Map([[coffee, 30_000]]))).toEqual([{ productId: coffee, unitPrice: 708.33, text: '30' }]);
    const mixed = sale('1a2b3c4d-0000-4000-8000-000000000002', [{ productId: coffee, quantity: 1, unitPrice: 17000, packSize: 24 }, { productId: coffee, quantity: 5, unitPrice: 720 }]);
    expect(returnEntries(mixed, soldOn(mixed))).toEqual([{ productId: coffee, unitPrice: 720, text: '29' }]);
  });

  it('is found by the number its receipt prints, whatever the case, the # or spaces; a refused sale or one of two is not', () => {
    const ops: HeldOperation[] = [
      sale('1a2b3c4d-0000-4000-8000-000000000001', [{ productId: atta, quantity: 1, unitPrice: 120 }]),
      sale('9f9f9f9f-0000-4000-8000-000000000001', [{ productId: atta, quantity: 1, unitPrice: 120 }], { outcome: { status: 'rejected', receivedAt: '2026-12-03T10:01:00.000Z' } }),
      sale('77777777-0000-4000-8000-000000000001', [{ productId: atta, quantity: 1, unitPrice: 120 }]),
      sale('77777777-0000-4000-8000-000000000002', [{ productId: atta, quantity: 1, unitPrice: 120 }]),
    ];
    expect(saleByReceipt(ops, ' #1A2B 3C4D ')?.id).toBe('1a2b3c4d-0000-4000-8000-000000000001');
    expect(saleByReceipt(ops, '#9f9f9f9f')).toBeNull();
    expect(saleByReceipt(ops, '77777777')).toBeNull();
    expect(saleByReceipt(ops, '777777770000')?.id).toBeUndefined();
    expect(saleByReceipt(ops, '1a2b')).toBeNull();
  });

  it('read from the server, an older sale and its returns join what the phone holds; what the phone holds wins', () => {
    const older = sale('2b2b2b2b-0000-4000-8000-000000000001', [{ productId: atta, quantity: 3, unitPrice: 120 }]);
    const back = { ...sale('2b2b2b2b-0000-4000-8000-000000000002', [{ productId: atta, quantity: 1, unitPrice: 120 }]), type: 'return' as const, saleId: older.id };
    const held: HeldOperation[] = [back];
    const all = withFetched(held, [older, { ...back, lines: [{ productId: atta, quantity: 2, unitPrice: 120 }] }]);
    expect(all.map((op) => op.id)).toEqual([back.id, older.id]);
    expect(returnableOnDevice(older, all)).toEqual(new Map([[atta, 2000]]));
    expect(withFetched(held, [])).toBe(held);
  });
});
