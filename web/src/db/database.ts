import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb/plugins/core';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { AlertDoc, CustomerDoc, ProductDoc, Resolution, StockDoc, StoreProductDoc } from '@bazaar/shared';
import { outcomeApart } from './outcome-apart';
import { alertSchema, customerSchema, operationSchema, productSchema, resolutionSchema, stockSchema, storeProductSchema, type OperationRecord } from './schemas';

export interface BazaarCollections {
  products: RxCollection<ProductDoc>;
  stock: RxCollection<StockDoc>;
  storeproducts: RxCollection<StoreProductDoc>;
  operations: RxCollection<OperationRecord>;
  resolutions: RxCollection<Resolution>;
  alerts: RxCollection<AlertDoc>;
  customers: RxCollection<CustomerDoc>;
}
export type BazaarDatabase = RxDatabase<BazaarCollections>;

/**
 * One IndexedDB database per user and store: switching user or store never
 * mixes queues, and a pending sale stays with the user who made it until it
 * is pushed, even across a sign-out.
 */
export function databaseName(userId: string, storeId: string): string {
  return `bazaar_${userId}_${storeId}`.replace(/-/g, '');
}

addRxPlugin(RxDBMigrationSchemaPlugin);

/** The collections, their schemas and how documents kept by an older app are migrated (RxDB schema versions). */
export const collections = {
  products: {
    schema: productSchema,
    // Products kept before protocol 3 were all on sale; the catalog is pulled afresh once anyway (sync/replication.ts).
    migrationStrategies: { 1: (doc: Omit<ProductDoc, 'retired'>): ProductDoc => ({ ...doc, retired: false }) },
  },
  stock: { schema: stockSchema },
  storeproducts: { schema: storeProductSchema },
  // Protocol 7: the server's verdict on a pulled operation moves into `outcome`.
  operations: { schema: operationSchema, migrationStrategies: { 1: outcomeApart } },
  resolutions: { schema: resolutionSchema },
  alerts: { schema: alertSchema },
  // Protocol 4: added to databases made before it as a new, empty collection.
  customers: { schema: customerSchema },
} as const;

export async function openDatabase(userId: string, storeId: string): Promise<BazaarDatabase> {
  const db = await createRxDatabase<BazaarCollections>({
    name: databaseName(userId, storeId),
    storage: getRxStorageDexie(),
    multiInstance: true,
    eventReduce: true,
    closeDuplicates: true,
  });
  await db.addCollections(collections);
  return db;
}
