import type { OperationOutcome } from '@bazaar/shared';
import type { OperationRecord } from './schemas';

/** An operation as apps of protocols 1-6 kept it: the server's verdict merged into it. */
type MergedOperation = Record<string, unknown> & {
  type: string;
  status?: OperationOutcome['status'];
  discrepancy?: boolean;
  reason?: unknown;
  message?: string | null;
  current?: OperationOutcome['current'];
  resolution?: OperationOutcome['resolution'];
  userId?: string;
  receivedAt?: string;
  adjustmentReason?: string;
  updatedAt?: string;
};

/**
 * RxDB migration of the operations collection to schema version 1
 * (protocol 7): an operation pulled by an older app moves the server's fields
 * into `outcome`, and an adjustment gets its own reason back from
 * `adjustmentReason`. One still queued (no `status`) was written by the
 * device and never had them: it is kept as it is, so it is pushed once, as
 * before the update. RxDB applies the same strategy to the replication's
 * record of what the server holds, so nothing already synced looks changed.
 */
export function outcomeApart(doc: MergedOperation): OperationRecord {
  if (doc.status === undefined) return doc as unknown as OperationRecord;
  const { status, discrepancy, reason, message, current, resolution, userId, receivedAt, adjustmentReason, ...operation } = doc;
  const outcome: OperationOutcome = {
    status,
    discrepancy: discrepancy ?? false,
    reason: (reason ?? null) as OperationOutcome['reason'],
    message: message ?? null,
    current: current ?? null,
    resolution: resolution ?? null,
    userId: userId ?? '',
    receivedAt: receivedAt ?? doc.updatedAt ?? '',
  };
  return { ...operation, ...(doc.type === 'adjustment' ? { reason: adjustmentReason } : {}), outcome } as unknown as OperationRecord;
}
