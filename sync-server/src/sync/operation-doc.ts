import type { Operation, OperationDoc, OperationResolution, StoreProductState } from '@bazaar/shared';

/** The columns of `operations` an `OperationRow` holds, as a SELECT list. */
export const OPERATION_ROW_COLUMNS = 'id, user_id, payload, status, discrepancy, reason, message, current, resolution, received_at, updated_at';

/** An `operations` row as the pull and push queries select it. */
export interface OperationRow {
  id: string;
  user_id: string;
  payload: Operation;
  status: 'applied' | 'rejected';
  discrepancy: boolean;
  reason: string | null;
  message: string | null;
  current: StoreProductState | null;
  resolution: OperationResolution | null;
  received_at: Date;
  updated_at: Date;
}

/**
 * The document a device pulls (protocol 7, SPEC.md P4): the operation exactly
 * as the device wrote it, and the server's verdict beside it in `outcome`, so
 * an adjustment's own `reason` never meets the outcome's.
 */
export function toOperationDoc(row: OperationRow): OperationDoc {
  return {
    ...row.payload,
    outcome: {
      status: row.status,
      discrepancy: row.discrepancy,
      reason: row.reason,
      message: row.message,
      current: row.current,
      resolution: row.resolution,
      userId: row.user_id,
      receivedAt: row.received_at.toISOString(),
    },
    updatedAt: row.updated_at.toISOString(),
    _deleted: false,
  } as OperationDoc;
}
