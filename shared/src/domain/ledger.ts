import type { Operation } from '../protocol/operations';
import { linePaisa } from './quantity';

/**
 * The udhaar ledger (issue 12): what each customer owes a store, from the
 * operations that move it. Pure, so a phone offline and the server work out
 * the same balance to the paisa, whatever order the operations arrived in.
 */

/** A ledger customer as the store keeps it. `mergedInto`: this id is another name for that customer (same phone). */
export interface CustomerState {
  storeId: string;
  id: string;
  name: string;
  phone: string | null;
  creditLimit: number | null;
  mergedInto: string | null;
  version: number;
}

export type LedgerKind = 'credit_sale' | 'credit_return' | 'payment';

export interface LedgerEntry {
  operationId: string;
  storeId: string;
  customerId: string;
  kind: LedgerKind;
  /** Paisa this entry adds to what is owed: positive for a credit sale, negative for a return or a payment. */
  amountPaisa: number;
  /** When it happened at the counter (the device's time). */
  at: string;
}

const linesPaisa = (lines: readonly { quantity: number; unitPrice: number }[]) => lines.reduce((sum, l) => sum + linePaisa(l.quantity, l.unitPrice), 0);

/** Rupees (at most 2 decimals, already checked) as paisa. */
export const toPaisa = (rupees: number): number => Math.round(rupees * 100);

/**
 * The entry an operation makes in a customer's account, or null: a credit
 * sale naming a customer, a return credited to a customer, a payment.
 */
export function ledgerEntry(op: Operation): LedgerEntry | null {
  // Times as UTC ISO strings, so entries from devices in any offset order as instants.
  const entry = (customerId: string, kind: LedgerKind, amountPaisa: number): LedgerEntry => ({
    operationId: op.id, storeId: op.storeId, customerId, kind, amountPaisa, at: new Date(op.createdAt).toISOString(),
  });
  switch (op.type) {
    case 'sale':
      return op.payment.method === 'credit' && op.payment.customerId ? entry(op.payment.customerId, 'credit_sale', linesPaisa(op.lines)) : null;
    case 'return':
      return op.customerId ? entry(op.customerId, 'credit_return', -linesPaisa(op.lines)) : null;
    case 'credit_payment':
      return entry(op.customerId, 'payment', -toPaisa(op.amount));
    default:
      return null;
  }
}

export interface Account {
  /** Paisa owed; below zero when the customer has paid in advance. */
  balancePaisa: number;
  /** The counter time of the oldest credit sale not yet paid off (payments settle the oldest first), or null. */
  owedSince: string | null;
  lastPaymentAt: string | null;
}

const byTime = (a: LedgerEntry, b: LedgerEntry) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.operationId < b.operationId ? -1 : a.operationId > b.operationId ? 1 : 0);

/**
 * A customer's account from their entries, in any order: the balance, and
 * since when they owe it. Money received pays off the oldest debt first;
 * money received ahead of a sale is an advance the next sales use up.
 */
export function account(entries: readonly LedgerEntry[]): Account {
  const debts: { at: string; left: number }[] = [];
  let advance = 0;
  let balancePaisa = 0;
  let lastPaymentAt: string | null = null;
  for (const e of [...entries].sort(byTime)) {
    balancePaisa += e.amountPaisa;
    if (e.kind === 'payment' && (lastPaymentAt === null || e.at > lastPaymentAt)) lastPaymentAt = e.at;
    if (e.amountPaisa > 0) {
      const used = Math.min(advance, e.amountPaisa);
      advance -= used;
      if (e.amountPaisa > used) debts.push({ at: e.at, left: e.amountPaisa - used });
      continue;
    }
    let credit = -e.amountPaisa;
    while (credit > 0 && debts.length > 0) {
      const oldest = debts[0]!;
      const paid = Math.min(credit, oldest.left);
      oldest.left -= paid;
      credit -= paid;
      if (oldest.left === 0) debts.shift();
    }
    advance += credit;
  }
  return { balancePaisa, owedSince: debts[0]?.at ?? null, lastPaymentAt };
}

/**
 * A phone number in the 92… form the ledger keys customers by (a store has
 * one customer per number), from what people type: 0300-1234567,
 * +92 300 1234567, 0092…, 300 1234567. Null when it is not a Pakistani number.
 */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s\-().]/g, '');
  if (!/^\+?\d+$/.test(digits)) return null;
  const bare = digits.replace(/^\+/, '');
  const national = bare.startsWith('0092') ? bare.slice(4) : bare.startsWith('92') && bare.length >= 11 ? bare.slice(2) : bare.startsWith('0') ? bare.slice(1) : bare;
  // Mobiles have 10 digits after 92 (3xx xxxxxxx), landlines 9 or 10 with the city code.
  return /^[1-9]\d{8,9}$/.test(national) ? `92${national}` : null;
}

/** Whether a sale of `addPaisa` on credit takes an account over its limit: a warning to show, never a refusal. */
export function overLimit(balancePaisa: number, creditLimit: number | null, addPaisa: number): boolean {
  return creditLimit !== null && balancePaisa + addPaisa > toPaisa(creditLimit);
}
