import type { Operation, PurchaseOperation } from '../protocol/operations';
import { normalizePhone, toPaisa } from './ledger';
import { linePaisa } from './quantity';
import { countsInBooks, type HeldOperation } from './held';

/**
 * The shop's suppliers and what it owes each (issue 12, SPEC.md S1-S3), from
 * the operations themselves, so it reads the same offline on every device
 * that holds them and the same as the server's list once synced. A supplier
 * is known in its store by its name, whatever its case or spacing
 * (`supplierKey`): two tablets that add "Hassan Traders" offline end with one.
 * Money in paisa.
 */
export interface SupplierAccount {
  key: string;
  name: string;
  /** In the 92… form; null when no one has given one. */
  phone: string | null;
  note: string | null;
  /** Owed purchases less payments; below zero when the shop has paid ahead. */
  owedPaisa: number;
  purchases: number;
  /** The latest purchase, payment or edit. */
  lastAt: string;
  lastInvoice: string | null;
}

export const supplierKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

export const purchasePaisa = (op: Pick<PurchaseOperation, 'lines'>) => op.lines.reduce((sum, l) => sum + linePaisa(l.quantity, l.unitCost), 0);

/** A supplier's name, phone and note as the operations so far set them (S1). */
export interface SupplierNaming {
  storeId: string;
  key: string;
  name: string;
  phone: string | null;
  note: string | null;
  /** When the operation that set them was made. */
  at: string;
  /** Set by a `supplier` operation; else only named by a purchase or payment. */
  edited: boolean;
}


/** The supplier an operation names, if it names one. */
export function supplierNamed(op: Operation): string | null {
  if (op.type === 'supplier') return op.name.trim();
  if (op.type === 'supplier_payment') return op.supplier.trim();
  if (op.type === 'purchase') return op.supplier?.trim() || null;
  return null;
}

/**
 * Whether `next` sets a supplier's name over `current` (S1): an edit (a
 * `supplier` operation) over a name only typed on a purchase or payment, and
 * among the same kind the later one. The server's upsert keeps the same order.
 */
export function supersedes(next: Pick<SupplierNaming, 'at' | 'edited'>, current: Pick<SupplierNaming, 'at' | 'edited'> | undefined): boolean {
  if (!current) return true;
  if (next.edited !== current.edited) return next.edited;
  return next.at >= current.at;
}

/** What these operations make of each supplier they name, by storeId + key; refused ones count for nothing. */
export function supplierNamings(operations: readonly HeldOperation[]): Map<string, SupplierNaming> {
  const namings = new Map<string, SupplierNaming>();
  for (const op of operations) {
    const name = supplierNamed(op);
    if (!name || !countsInBooks(op)) continue;
    const edited = op.type === 'supplier';
    const next: SupplierNaming = {
      storeId: op.storeId,
      key: supplierKey(name),
      name,
      phone: edited && op.phone ? normalizePhone(op.phone) : null,
      note: (edited && op.note?.trim()) || null,
      at: op.createdAt,
      edited,
    };
    const id = `${op.storeId}|${next.key}`;
    const current = namings.get(id);
    if (!supersedes(next, current)) continue;
    // A purchase renames a supplier no one has edited, and keeps nothing else of it.
    namings.set(id, edited || !current ? next : { ...current, name, at: next.at });
  }
  return namings;
}

/** The store's suppliers, most owed first, then the latest. */
export function supplierBook(operations: readonly HeldOperation[]): SupplierAccount[] {
  const accounts = new Map<string, SupplierAccount>();
  for (const naming of supplierNamings(operations).values()) {
    accounts.set(naming.key, { key: naming.key, name: naming.name, phone: naming.phone, note: naming.note, owedPaisa: 0, purchases: 0, lastAt: naming.at, lastInvoice: null });
  }
  const ordered = operations.filter(countsInBooks).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  for (const op of ordered) {
    const name = supplierNamed(op);
    const account = name ? accounts.get(supplierKey(name)) : undefined;
    if (!account) continue;
    if (op.createdAt > account.lastAt) account.lastAt = op.createdAt;
    if (op.type === 'purchase') {
      account.purchases += 1;
      if (op.paid === 'owed') account.owedPaisa += purchasePaisa(op);
      account.lastInvoice = op.invoiceRef ?? null;
    } else if (op.type === 'supplier_payment') {
      account.owedPaisa -= toPaisa(op.amount);
    }
  }
  return [...accounts.values()].sort((a, b) => b.owedPaisa - a.owedPaisa || b.lastAt.localeCompare(a.lastAt));
}
