import type { AlertDoc, CustomerDoc, Operation, OperationOutcome, ProductDoc, Resolution, StockDoc, StoreProductDoc } from '@bazaar/shared';
import type { RxJsonSchema } from 'rxdb/plugins/core';

/**
 * RxDB schemas of the replicated collections. They describe the documents
 * the server sends (shared/src/protocol/sync.ts) for indexing; they do not
 * validate (no validating storage in production), so every document is
 * checked with the shared zod schemas where it enters: pulls in
 * sync/replication.ts, local operations in db/record.ts.
 */

export const productSchema: RxJsonSchema<ProductDoc> = {
  // 1: `retired` (protocol 3); db/database.ts migrates version 0 documents.
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    sku: { type: 'string' },
    barcode: { type: ['string', 'null'] },
    nameEn: { type: 'string' },
    nameUr: { type: 'string' },
    category: { type: 'string' },
    unit: { type: 'string' },
    packSize: { type: 'number' },
    defaultPrice: { type: 'number' },
    version: { type: 'integer' },
    retired: { type: 'boolean' },
    updatedAt: { type: 'string' },
    _deleted: { type: 'boolean' },
  },
  required: ['id', 'sku', 'nameEn', 'nameUr', 'unit', 'defaultPrice'],
};

/** A product in one store: `id` is `${storeId}:${productId}` (SPEC.md). */
const cellFields = {
  id: { type: 'string', maxLength: 80 },
  storeId: { type: 'string', maxLength: 36 },
  productId: { type: 'string', maxLength: 36 },
} as const;

export const stockSchema: RxJsonSchema<StockDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...cellFields,
    quantity: { type: 'number' },
    version: { type: 'integer' },
    updatedAt: { type: 'string' },
    _deleted: { type: 'boolean' },
  },
  required: ['id', 'storeId', 'productId', 'quantity', 'version'],
};

export const storeProductSchema: RxJsonSchema<StoreProductDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...cellFields,
    price: { type: ['number', 'null'] },
    reorderLevel: { type: ['number', 'null'] },
    active: { type: 'boolean' },
    version: { type: 'integer' },
    updatedAt: { type: 'string' },
    _deleted: { type: 'boolean' },
  },
  required: ['id', 'storeId', 'productId', 'active', 'version'],
};

/** The store's alerts as the server's alerts worker keeps them: pulled only, never written here. */
export const alertSchema: RxJsonSchema<AlertDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    storeId: { type: 'string', maxLength: 36 },
    productId: { type: ['string', 'null'] },
    kind: { type: 'string' },
    openedAt: { type: 'string' },
    clearedAt: { type: ['string', 'null'] },
    detail: { type: 'object' },
    updatedAt: { type: 'string' },
    _deleted: { type: 'boolean' },
  },
  required: ['id', 'storeId', 'kind', 'openedAt'],
};

/** The store's udhaar customers with their accounts as the server last worked them out: pulled only (customers are made by operations). */
export const customerSchema: RxJsonSchema<CustomerDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    storeId: { type: 'string', maxLength: 36 },
    name: { type: 'string' },
    phone: { type: ['string', 'null'] },
    creditLimit: { type: ['number', 'null'] },
    mergedInto: { type: ['string', 'null'] },
    balance: { type: 'number' },
    owedSince: { type: ['string', 'null'] },
    lastPaymentAt: { type: ['string', 'null'] },
    version: { type: 'integer' },
    updatedAt: { type: 'string' },
    _deleted: { type: 'boolean' },
  },
  required: ['id', 'storeId', 'name', 'version'],
};

/**
 * The queue: every action is written here first, as the device wrote it,
 * pushed when online, and pulled back with the server's verdict beside it in
 * `outcome` (protocol 7). No `outcome` means not yet synced.
 * The per-type fields (`lines`, `payment`, ...) are kept as they are.
 */
export type OperationRecord = Operation & { outcome?: OperationOutcome; updatedAt?: string; setAside?: SetAside };

/**
 * An operation the server refused for good as a request (400, 403, 413):
 * kept on the device, never pushed again unless the user asks, shown in the
 * Sync tab with the server's words. Device-only: it never reaches the wire.
 */
export interface SetAside {
  status: number;
  reason: string;
  message: string;
  at: string;
  /** The user chose to drop it; it stays stored. */
  discardedAt?: string;
}

export const operationSchema: RxJsonSchema<OperationRecord> = {
  // 1: protocol 7, the server's verdict in `outcome` (migrated by `outcomeApart`).
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    storeId: { type: 'string', maxLength: 36 },
    deviceId: { type: 'string' },
    createdAt: { type: 'string', maxLength: 40 },
    type: { type: 'string' },
    lines: { type: 'array' },
    payment: { type: 'object' },
    outcome: { type: 'object' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'storeId', 'deviceId', 'createdAt', 'type'],
  indexes: ['createdAt'],
} as unknown as RxJsonSchema<OperationRecord>;

/** Decisions about refused or flagged operations, pushed (never pulled: they come back on the operations). */
export type ResolutionRecord = Resolution & { setAside?: SetAside };

export const resolutionSchema: RxJsonSchema<Resolution> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    storeId: { type: 'string' },
    deviceId: { type: 'string' },
    action: { type: 'string' },
    replacementId: { type: 'string' },
    createdAt: { type: 'string' },
    _deleted: { type: 'boolean' },
  },
  required: ['id', 'storeId', 'deviceId', 'action', 'createdAt'],
} as unknown as RxJsonSchema<Resolution>;
