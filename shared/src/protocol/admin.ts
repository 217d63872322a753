import { z } from 'zod';
import { Role } from './auth';
import { CreateStoreRequest } from './catalog';
import { listOf, pageQuery, text, TimeZone } from './fields';


/** A province or sales area, as stores and managers name it. */
export const Region = text(80).trim().min(1);

/** `PUT /api/stores/{id}`: the store as it should be. */
export const UpdateStoreRequest = CreateStoreRequest.extend({
  city: text(80).trim().nullable().optional(),
  region: Region.nullable().optional(),
  timeZone: TimeZone,
});
export type UpdateStoreRequest = z.infer<typeof UpdateStoreRequest>;

export const StoreListQuery = z.strictObject({
  /** Part of the name, city or region. */
  q: text(80).trim().min(1).optional(),
  ...pageQuery,
});
export type StoreListQuery = z.infer<typeof StoreListQuery>;

/** A store as the admin's list shows it, with the owners who run it. */
export const AdminStore = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  timeZone: z.string(),
  owners: z.array(z.strictObject({ id: z.uuid(), username: z.string() })),
  createdAt: z.string(),
});
export type AdminStore = z.infer<typeof AdminStore>;
export const StoreList = listOf(AdminStore);
export type StoreList = z.infer<typeof StoreList>;

export const UserListQuery = z.strictObject({
  /** Part of the username or display name. */
  q: text(80).trim().min(1).optional(),
  role: Role.optional(),
  ...pageQuery,
});
export type UserListQuery = z.infer<typeof UserListQuery>;

/** A user as the admin's list shows them: the stores named for them, and for a manager the regions. */
export const AdminUser = z.strictObject({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: Role,
  disabled: z.boolean(),
  /** The stores assigned one by one, by name (a manager also sees every store of their regions). */
  stores: z.array(z.strictObject({ id: z.uuid(), name: z.string() })),
  regions: z.array(z.string()),
  createdAt: z.string(),
});
export type AdminUser = z.infer<typeof AdminUser>;
export const UserList = listOf(AdminUser);
export type UserList = z.infer<typeof UserList>;

/**
 * `PUT /api/users/{id}/access`: the stores a user works in, and for a
 * manager the regions whose every store (present and future) they watch.
 */
export const UserAccessRequest = z.strictObject({
  storeIds: z.array(z.uuid()).max(1000),
  regions: z.array(Region).max(50).default([]),
});
export type UserAccessRequest = z.infer<typeof UserAccessRequest>;
