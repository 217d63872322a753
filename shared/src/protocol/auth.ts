import { z } from 'zod';
import { text } from './fields';

export const roles = ['shopkeeper', 'owner', 'manager', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.strictObject({
  username: text(64).trim().min(1),
  password: z.string().min(1).max(256),
  deviceId: text(128).min(1).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionUser = z.strictObject({
  id: z.uuid(),
  username: z.string(),
  role: Role,
  storeIds: z.array(z.uuid()),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** A store the user works in, named for people (the app shows names, not ids). */
export const StoreSummary = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  city: z.string().nullable(),
});
export type StoreSummary = z.infer<typeof StoreSummary>;

export const LoginResponse = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  user: SessionUser,
  /** The user's stores (`user.storeIds`), by name. */
  stores: z.array(StoreSummary),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RefreshRequest = z.strictObject({
  refreshToken: z.string().min(1).max(200),
  /**
   * The device the session was opened on (the login's `deviceId`): a token
   * presented again within the grace period is answered its successor only
   * from the same device.
   */
  deviceId: text(128).min(1).optional(),
});
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const RefreshResponse = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
});
export type RefreshResponse = z.infer<typeof RefreshResponse>;

export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(8, 'a password needs at least 8 characters').max(256),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const CreateUserRequest = z.strictObject({
  username: z
    .string()
    .trim()
    .min(3)
    .max(64)
    .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  password: z.string().min(8).max(256),
  role: Role,
  storeIds: z.array(z.uuid()).max(1000),
  /** A manager's regions: every store in them, present and future (PUT /api/users/{id}/access). */
  regions: z.array(text(80).trim().min(1)).max(50).optional(),
  displayName: text(120).trim().optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const ChangeRoleRequest = z.strictObject({ role: Role });
export type ChangeRoleRequest = z.infer<typeof ChangeRoleRequest>;

/** A user's device, as a store's owner sees it: one row per user and device id. */
export const DeviceInfo = z.strictObject({
  userId: z.uuid(),
  username: z.string(),
  role: Role,
  deviceId: z.string(),
  userAgent: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const DeviceList = z.strictObject({ devices: z.array(DeviceInfo) });

/** A person who works in a store, as its owner sees them (`GET /api/stores/{id}/staff`). */
export const StaffMember = z.strictObject({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.string(),
  /** The last time any of their devices reached the server; null if never. */
  lastSeenAt: z.string().nullable(),
});
export type StaffMember = z.infer<typeof StaffMember>;
export const StaffList = z.strictObject({ staff: z.array(StaffMember) });
export type StaffList = z.infer<typeof StaffList>;
export type DeviceList = z.infer<typeof DeviceList>;
