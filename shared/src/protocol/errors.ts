import { z } from 'zod';

/**
 * Why the server refused a whole request. Every HTTP error body is
 * `{ status: 'error', reason, message, details? }` with one of these reasons.
 */
export const httpErrorReasons = [
  'malformed_request', // 400: bad JSON, missing fields, wrong types
  'unauthenticated', // 401: no token, bad token, expired token
  'forbidden', // 403: role or store not allowed
  'not_found', // 404
  'conflict', // 409: an edit made against a version that is no longer current
  'payload_too_large', // 413
  'protocol_outdated', // 426: client protocol older than the server supports
  'rate_limited', // 429
  'unavailable', // 503: a dependency is down
  'internal', // 500
] as const;
export const HttpErrorReason = z.enum(httpErrorReasons);
export type HttpErrorReason = z.infer<typeof HttpErrorReason>;

export const HttpErrorBody = z.object({
  status: z.literal('error'),
  reason: HttpErrorReason,
  message: z.string(),
  details: z.unknown().optional(),
});
export type HttpErrorBody = z.infer<typeof HttpErrorBody>;

/**
 * Why one operation was refused (status `rejected`) or flagged (status
 * `applied` with `discrepancy: true`). The device shows `message`; the code is
 * for logic and translations.
 */
export const operationReasons = [
  'unknown_product', // no such product in the catalog (or it was deleted)
  'invalid_quantity', // zero, negative, not finite, or more than 3 decimals
  'invalid_price', // negative or more than 2 decimals
  'unknown_base_version', // a count or edit against a version that never existed
  'duplicate_product', // the same product twice in a count
  'stale_version', // a state edit based on an older version: conflict
  'empty_change', // a store product edit that changes nothing
  'negative_stock', // discrepancy: applied, but the result is below zero
  'out_of_range', // a number or a device time beyond what the shop can record (SPEC.md R10)
  'duplicate_id', // no longer given (R11 scopes ids by store); refusals made before keep it
  'invalid_amount', // money received or a credit limit: not above zero (a limit may be zero), or more than 2 decimals
  'invalid_phone', // not a Pakistani phone number
  'unknown_customer', // a payment from a customer the store does not have
  'phone_taken', // an edit giving a customer the number another customer has
  'over_return', // discrepancy: a return taking back more than its sale has left to return
  'cash_difference', // discrepancy: a day's close whose counted cash is not what the records expect
] as const;
export const OperationReason = z.enum(operationReasons);
export type OperationReason = z.infer<typeof OperationReason>;
