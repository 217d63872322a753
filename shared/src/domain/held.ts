import type { Operation, OperationOutcome } from '../protocol/operations';

/**
 * An operation as a device holds it: as written, with the server's verdict
 * beside it once synced (`outcome`, protocol 7), or set aside after the server
 * refused the request that carried it.
 */
export type HeldOperation = Operation & { outcome?: Pick<OperationOutcome, 'status' | 'receivedAt'> | undefined; setAside?: unknown };

/** Whether a held operation counts in the device's books: neither refused by the server nor set aside. */
export function countsInBooks(op: HeldOperation): boolean {
  return op.outcome?.status !== 'rejected' && !op.setAside;
}

/** Not yet acknowledged by the server (nor set aside): the device's own pending change. */
export function awaitsServer(op: HeldOperation): boolean {
  return op.outcome === undefined && !op.setAside;
}
