import { receiptMethods, type Operation, type ReceiptMethod } from '../protocol/operations';
import { linePaisa } from './quantity';
import { toPaisa } from './ledger';
import { countsInBooks, type HeldOperation } from './held';

/**
 * The day book (issue 12): a day's sales, returns, udhaar received and purchases, with
 * totals by how they were paid, and the cash the drawer should hold from
 * them. Pure, from the operations themselves, so it reads the same offline
 * on every device that holds them. Money in paisa.
 */
export interface DayBook {
  sales: { count: number; cashPaisa: number; creditPaisa: number };
  returns: { count: number; cashPaisa: number; creditPaisa: number };
  received: Record<ReceiptMethod, number>;
  /** Purchases from suppliers, by how they were paid (`paid`; one that does not say counts as elsewhere). */
  purchases: { count: number; drawerPaisa: number; owedPaisa: number; elsewherePaisa: number };
  /** Payments to suppliers against what was owed (S2). */
  supplierPayments: { count: number; drawerPaisa: number; elsewherePaisa: number };
  /** Cash sales, less refunds from the drawer, plus udhaar paid in cash, less suppliers paid from the drawer (for goods or what was owed). */
  cashInPaisa: number;
}

const total = (lines: readonly { quantity: number; unitPrice: number }[]) => lines.reduce((sum, l) => sum + linePaisa(l.quantity, l.unitPrice), 0);
const cost = (lines: readonly { quantity: number; unitCost: number }[]) => lines.reduce((sum, l) => sum + linePaisa(l.quantity, l.unitCost), 0);

/** The day book of the operations `onDay` accepts (by their counter time); refused ones count for nothing. */
export function dayBook(operations: readonly HeldOperation[], onDay: (createdAt: string) => boolean): DayBook {
  const book: DayBook = {
    sales: { count: 0, cashPaisa: 0, creditPaisa: 0 },
    returns: { count: 0, cashPaisa: 0, creditPaisa: 0 },
    received: Object.fromEntries(receiptMethods.map((m) => [m, 0])) as Record<ReceiptMethod, number>,
    purchases: { count: 0, drawerPaisa: 0, owedPaisa: 0, elsewherePaisa: 0 },
    supplierPayments: { count: 0, drawerPaisa: 0, elsewherePaisa: 0 },
    cashInPaisa: 0,
  };
  for (const op of operations) {
    if (!countsInBooks(op) || !onDay(op.createdAt)) continue;
    if (op.type === 'sale') {
      book.sales.count += 1;
      if (op.payment.method === 'credit') book.sales.creditPaisa += total(op.lines);
      else book.sales.cashPaisa += total(op.lines);
    } else if (op.type === 'return') {
      book.returns.count += 1;
      if (op.customerId) book.returns.creditPaisa += total(op.lines);
      else book.returns.cashPaisa += total(op.lines);
    } else if (op.type === 'credit_payment') {
      book.received[op.method] += toPaisa(op.amount);
    } else if (op.type === 'purchase') {
      book.purchases.count += 1;
      book.purchases[op.paid === 'drawer' ? 'drawerPaisa' : op.paid === 'owed' ? 'owedPaisa' : 'elsewherePaisa'] += cost(op.lines);
    } else if (op.type === 'supplier_payment') {
      book.supplierPayments.count += 1;
      book.supplierPayments[op.paid === 'drawer' ? 'drawerPaisa' : 'elsewherePaisa'] += toPaisa(op.amount);
    }
  }
  book.cashInPaisa = book.sales.cashPaisa - book.returns.cashPaisa + book.received.cash - book.purchases.drawerPaisa - book.supplierPayments.drawerPaisa;
  return book;
}
