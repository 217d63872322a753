import { z } from 'zod';

export const roles = ['shopkeeper', 'owner', 'manager', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  deviceId: z.string().min(1).max(128).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionUser = z.strictObject({
  id: z.uuid(),
  username: z.string(),
  role: Role,
  storeIds: z.array(z.uuid()),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const LoginResponse = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  user: SessionUser,
});
export type LoginResponse = z.infer<typeof LoginResponse>;
