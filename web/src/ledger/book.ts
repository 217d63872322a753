import { account, countsInBooks, inLedgerBook, ledgerEntry, normalizePhone, type Account, type CustomerDoc, type LedgerEntry } from '@bazaar/shared';
import type { OperationRecord } from '../db/schemas';

/** One customer's account as this device sees it, offline included. */
export interface BookAccount extends Account {
  /** The id the account goes by (the first customer of its number); others are listed in `ids`. */
  id: string;
  ids: string[];
  name: string;
  phone: string | null;
  creditLimit: number | null;
  /** Its entries, newest first, each with the operation that made it and whether the server has it yet. */
  entries: { entry: LedgerEntry; operation: OperationRecord; synced: boolean }[];
  /** Made on this device and not yet acknowledged by the server. */
  pending: boolean;
}

/**
 * The store's udhaar book from what this device holds: the customers the
 * server sent, the customers made here and not pushed yet, and every
 * operation's ledger entry. Worked out by the shared rules (ledger.ts) from
 * the operations themselves, so it is exact offline and the same as the
 * server's once synced; numbers the store already has fold into one
 * account, as the server folds them (SPEC.md L2).
 */
export function ledgerBook(customers: readonly CustomerDoc[], operations: readonly OperationRecord[]): BookAccount[] {
  const canonical = new Map<string, string>();
  const accounts = new Map<string, BookAccount>();
  const byPhone = new Map<string, string>();
  const open = (id: string, name: string, phone: string | null, creditLimit: number | null, pending: boolean) => {
    const acc: BookAccount = { id, ids: [id], name, phone, creditLimit, entries: [], pending, balancePaisa: 0, owedSince: null, lastPaymentAt: null };
    accounts.set(id, acc);
    canonical.set(id, id);
    if (phone) byPhone.set(phone, id);
    return acc;
  };
  const alias = (id: string, to: string) => {
    canonical.set(id, to);
    accounts.get(to)?.ids.push(id);
  };

  for (const c of customers) if (c.mergedInto === null) open(c.id, c.name, c.phone, c.creditLimit, false);
  for (const c of customers) if (c.mergedInto !== null && accounts.has(c.mergedInto)) alias(c.id, c.mergedInto);

  // Oldest first, so a later edit wins and the first of a number keeps it.
  // Recomputed on every recorded sale: only ledger operations are sorted, not the store's history.
  const inOrder = operations.filter((op) => countsInBooks(op) && inLedgerBook(op)).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  for (const op of inOrder) {
    if (op.type === 'customer') {
      const phone = op.phone ? normalizePhone(op.phone) : null;
      const known = canonical.get(op.customerId);
      if (known) {
        // An edit not yet reflected in what the server sent.
        const acc = accounts.get(known)!;
        if (op.outcome === undefined) Object.assign(acc, { name: op.name, ...(op.creditLimit === undefined ? {} : { creditLimit: op.creditLimit }) });
        continue;
      }
      const owner = phone ? byPhone.get(phone) : undefined;
      if (owner) alias(op.customerId, owner);
      else open(op.customerId, op.name, phone, op.creditLimit ?? null, op.outcome === undefined);
      continue;
    }
    const entry = ledgerEntry(op as never);
    if (!entry) continue;
    let id = canonical.get(entry.customerId);
    if (!id && op.type === 'sale') {
      // A credit sale for someone the book has not heard of: the server makes them from the typed name (L1).
      const phone = op.payment.customer?.phone ? normalizePhone(op.payment.customer.phone) : null;
      const owner = phone ? byPhone.get(phone) : undefined;
      if (owner) alias(entry.customerId, owner);
      else open(entry.customerId, op.payment.customer?.name ?? '?', phone, null, op.outcome === undefined);
      id = canonical.get(entry.customerId);
    }
    const acc = id ? accounts.get(id) : undefined;
    acc?.entries.push({ entry, operation: op, synced: op.outcome !== undefined });
  }

  for (const acc of accounts.values()) {
    Object.assign(acc, account(acc.entries.map((e) => e.entry)));
    acc.entries.reverse();
  }
  // Who has owed longest first; then what is owed, largest first; settled accounts by name.
  return [...accounts.values()].sort(
    (a, b) =>
      (a.owedSince === null ? 1 : 0) - (b.owedSince === null ? 1 : 0) ||
      (a.owedSince ?? '').localeCompare(b.owedSince ?? '') ||
      b.balancePaisa - a.balancePaisa ||
      a.name.localeCompare(b.name),
  );
}

/** A customer the counter typed, found in the book by number (or else by exact name). */
export function findCustomer(book: readonly BookAccount[], name: string, phone: string): BookAccount | undefined {
  const normal = phone ? normalizePhone(phone) : null;
  if (normal) return book.find((a) => a.phone === normal);
  const typed = name.trim().toLocaleLowerCase();
  return typed ? book.find((a) => a.name.toLocaleLowerCase() === typed) : undefined;
}

/** A WhatsApp link that opens a chat with the customer with the reminder written out. */
export function reminderLink(phone: string, text: string): string {
  return `https://wa.me/${phone}?text=${encodeURIComponent(text)}`;
}
