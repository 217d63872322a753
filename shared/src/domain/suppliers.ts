import type { Operation, PurchaseOperation } from '../protocol/operations';
import { linePaisa } from './quantity';

/**
 * What the shop owes its suppliers (issue 12): every applied purchase marked
 * `owed`, by supplier, from the operations themselves, so it reads the same
 * offline on every device that holds them. A supplier is known by the name
 * typed on its purchases, the same whatever its case or spacing. Money in paisa.
 */
export interface SupplierAccount {
  /** The name as last typed. */
  name: string;
  owedPaisa: number;
  purchases: number;
  lastAt: string;
  lastInvoice: string | null;
}

export const supplierKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

export const purchasePaisa = (op: Pick<PurchaseOperation, 'lines'>) => op.lines.reduce((sum, l) => sum + linePaisa(l.quantity, l.unitCost), 0);

/** Suppliers the store has bought from, most owed first, then the latest. Refused and set-aside purchases count for nothing. */
export function supplierBook(operations: readonly (Operation & { status?: string; setAside?: unknown })[]): SupplierAccount[] {
  const accounts = new Map<string, SupplierAccount>();
  for (const op of operations) {
    if (op.type !== 'purchase' || !op.supplier?.trim() || op.status === 'rejected' || op.setAside) continue;
    const key = supplierKey(op.supplier);
    const account = accounts.get(key) ?? { name: op.supplier.trim(), owedPaisa: 0, purchases: 0, lastAt: op.createdAt, lastInvoice: null };
    account.purchases += 1;
    if (op.paid === 'owed') account.owedPaisa += purchasePaisa(op);
    if (op.createdAt >= account.lastAt) {
      account.lastAt = op.createdAt;
      account.name = op.supplier.trim();
      account.lastInvoice = op.invoiceRef ?? null;
    }
    accounts.set(key, account);
  }
  return [...accounts.values()].sort((a, b) => b.owedPaisa - a.owedPaisa || b.lastAt.localeCompare(a.lastAt));
}
