import { linesTotal, Operation, type SaleOperation } from '@bazaar/shared';
import type { BazaarDatabase } from './database';

export interface CartLine {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export function cartTotal(lines: readonly CartLine[]): number {
  return linesTotal(lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice })));
}

/**
 * Records a cash sale: one `sale` operation written to the local queue, which
 * replication pushes when it can. The operation is validated with the shared
 * schema first, because the storage does not validate and the server would
 * refuse a malformed push whole.
 */
export async function recordSale(
  db: BazaarDatabase,
  context: { storeId: string; deviceId: string },
  lines: readonly CartLine[],
): Promise<SaleOperation> {
  const operation = Operation.parse({
    id: crypto.randomUUID(),
    storeId: context.storeId,
    deviceId: context.deviceId,
    createdAt: new Date().toISOString(),
    type: 'sale',
    lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
    payment: { method: 'cash' },
  }) as SaleOperation;
  await db.operations.insert(operation);
  return operation;
}
