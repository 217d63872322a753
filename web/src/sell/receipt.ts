import { linesTotal, type Payment } from '@bazaar/shared';
import { lineQuantity } from '../components/packs';
import type { Formatters, Strings } from '../i18n/strings';

export interface Receipt {
  operationId: string;
  kind: 'sale' | 'return';
  storeName: string;
  at: string;
  lines: { name: string; quantity: number; unitPrice: number; packSize?: number }[];
  payment?: Payment;
  /** After a credit sale: what the customer owes now, this sale included (rupees). */
  balanceAfter?: number;
}

/** The receipt as plain text: what is shared on WhatsApp and shown before printing. */
export function receiptText(receipt: Receipt, t: Strings, format: Formatters): string {
  const total = linesTotal(receipt.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice })));
  const rows = receipt.lines.map(
    (l) => `${lineQuantity(l, t, format)} × ${l.name} @ ${format.price(l.unitPrice)} = ${format.price(linesTotal([{ quantity: l.quantity, price: l.unitPrice }]))}`,
  );
  const payment = receipt.payment?.method === 'credit' && receipt.payment.customer ? t.onCredit(receipt.payment.customer.name) : receipt.kind === 'sale' ? t.paidCash : t.return;
  return [
    t.receiptHeader(receipt.storeName),
    format.time(receipt.at),
    '',
    ...rows,
    '',
    `${t.total}: ${format.price(total)}`,
    payment,
    ...(receipt.balanceAfter === undefined ? [] : [t.balanceNow(format.price(receipt.balanceAfter))]),
    `#${receipt.operationId.slice(0, 8)}`,
  ].join('\n');
}

/**
 * A WhatsApp share link (wa.me) with the receipt as its text; addressed to
 * the customer when a Pakistani mobile number is known (0300… → 92300…).
 */
export function whatsAppLink(text: string, phone?: string): string {
  let to = (phone ?? '').replace(/\D/g, '');
  if (to.startsWith('0')) to = `92${to.slice(1)}`;
  const valid = /^\d{10,15}$/.test(to);
  return `https://wa.me/${valid ? to : ''}?text=${encodeURIComponent(text)}`;
}
