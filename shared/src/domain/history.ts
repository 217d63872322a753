import type { Operation, OperationOutcome } from '../protocol/operations';
import { supplierNamed } from './suppliers';

/**
 * How much of its store's history a device pulls (issue 13, SPEC.md P7).
 * Cash sales, counts and price edits grow with every day the shop is open;
 * a phone needs the recent ones (the day book, returns against a receipt)
 * and the server keeps the rest. A device pulls every operation received in
 * the last OPERATION_PULL_DAYS, and of older ones only those it works its
 * books out from and those someone may still have to look at.
 */
export const OPERATION_PULL_DAYS = 35;

/** Operations that make a customer or an entry in the udhaar book (ledger.ts): the book reads all of them. */
export function inLedgerBook(op: Operation): boolean {
  return (
    op.type === 'customer' ||
    op.type === 'credit_payment' ||
    (op.type === 'sale' && op.payment.method === 'credit') ||
    (op.type === 'return' && op.customerId !== undefined)
  );
}

/**
 * Whether an operation is pulled whatever its age: part of the udhaar or
 * the suppliers' books (worked out on the device from every operation that
 * makes them), or refused or flagged (a decision may still be due, and the
 * sync screen lists them).
 */
export function pulledWhateverItsAge(op: Operation, outcome: Pick<OperationOutcome, 'status' | 'discrepancy'>): boolean {
  return outcome.status === 'rejected' || outcome.discrepancy || inLedgerBook(op) || supplierNamed(op) !== null;
}

/**
 * Whether a device may drop an operation it holds (SPEC.md P7): the server
 * has it (it came back with an outcome), and would not send it any more,
 * being older than the horizon and not pulled whatever its age. Age is
 * measured on the server's clock, against the newest operation the device
 * has been sent: a phone whose clock is wrong drops nothing it still needs,
 * and one that has been offline for weeks drops nothing until it syncs.
 */
export function droppedFromDevice(op: Operation, outcome: OperationOutcome | undefined, newestReceivedAt: string): boolean {
  if (!outcome || pulledWhateverItsAge(op, outcome)) return false;
  return Date.parse(outcome.receivedAt) < Date.parse(newestReceivedAt) - OPERATION_PULL_DAYS * 86_400_000;
}
