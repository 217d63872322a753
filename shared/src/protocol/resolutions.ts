import { z } from 'zod';
import { Role } from './auth';
import { deviceTime, text } from './fields';

/**
 * What a person decided about an operation the server refused or flagged
 * (SPEC.md R9): discard it, resend a corrected copy, or acknowledge a flag.
 * Recorded on the device first like any action, pushed, kept on the
 * operation (`resolution`) and in the audit log, and pulled by every device
 * of the store so nobody is asked twice.
 */
export const resolutionActions = ['discarded', 'resent', 'acknowledged'] as const;
export const ResolutionAction = z.enum(resolutionActions);
export type ResolutionAction = z.infer<typeof ResolutionAction>;

export const Resolution = z.strictObject({
  /** The resolved operation's id: one resolution per operation. */
  id: z.uuid(),
  storeId: z.uuid(),
  deviceId: text(128).min(1),
  action: ResolutionAction,
  /** For `resent`: the id of the corrected operation. */
  replacementId: z.uuid().optional(),
  createdAt: deviceTime,
  _deleted: z.literal(false).optional(),
});
export type Resolution = z.infer<typeof Resolution>;

/** As the server keeps it on the operation and returns it in pulls. */
export const OperationResolution = z.strictObject({
  action: ResolutionAction,
  userId: z.uuid(),
  /**
   * The decider's role when they decided (protocol 2; not sent to protocol 1
   * clients): a flag acknowledged by someone who does not manage the store is
   * still its owner's to review (`awaitsDecision`).
   */
  role: Role.optional(),
  deviceId: z.string(),
  replacementId: z.uuid().nullable(),
  at: z.string(),
  receivedAt: z.string(),
});
export type OperationResolution = z.infer<typeof OperationResolution>;

export const ResolutionPushRow = z.strictObject({
  newDocumentState: Resolution,
  assumedMasterState: z.unknown().nullable().optional(),
});
export const ResolutionPushRequest = z.array(ResolutionPushRow).min(1).max(500);
export type ResolutionPushRequest = z.infer<typeof ResolutionPushRequest>;
