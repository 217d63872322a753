import type { Operation, OperationDoc, OperationResolution, StoreProductState } from '@bazaar/shared';

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

/** Server-owned fields never travel inside `payload`: they are stripped before it is stored. */
export function devicePayload(operation: Operation): Operation {
  const {
    userId: _u,
    status: _s,
    discrepancy: _d,
    message: _m,
    receivedAt: _r,
    current: _c,
    adjustmentReason: _a,
    resolution: _res2,
    _deleted,
    ...rest
  } = operation;
  if (operation.type !== 'adjustment') delete (rest as { reason?: unknown }).reason;
  return rest as Operation;
}

/**
 * The document a device pulls: what it sent plus the outcome. In it `reason`
 * is the outcome's reason, so an adjustment's own reason moves to
 * `adjustmentReason` (SPEC.md O2).
 */
export function toOperationDoc(row: OperationRow): OperationDoc {
  const payload = { ...row.payload } as Operation & { adjustmentReason?: string };
  if (payload.type === 'adjustment') payload.adjustmentReason = payload.reason;
  return {
    ...payload,
    userId: row.user_id,
    status: row.status,
    discrepancy: row.discrepancy,
    reason: row.reason,
    message: row.message,
    ...(row.current ? { current: row.current } : {}),
    ...(row.resolution ? { resolution: row.resolution } : {}),
    receivedAt: row.received_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    _deleted: false,
  } as OperationDoc;
}
