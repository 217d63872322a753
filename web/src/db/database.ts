import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb/plugins/core';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { AlertDoc, ProductDoc, Resolution, StockDoc, StoreProductDoc } from '@bazaar/shared';
import { alertSchema, operationSchema, productSchema, resolutionSchema, stockSchema, storeProductSchema, type OperationRecord } from './schemas';

export interface BazaarCollections {
  products: RxCollection<ProductDoc>;
  stock: RxCollection<StockDoc>;
  storeproducts: RxCollection<StoreProductDoc>;
  operations: RxCollection<OperationRecord>;
  resolutions: RxCollection<Resolution>;
  alerts: RxCollection<AlertDoc>;
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

export async function openDatabase(userId: string, storeId: string): Promise<BazaarDatabase> {
  const db = await createRxDatabase<BazaarCollections>({
    name: databaseName(userId, storeId),
    storage: getRxStorageDexie(),
    multiInstance: true,
    eventReduce: true,
    closeDuplicates: true,
  });
  await db.addCollections({
    products: { schema: productSchema },
    stock: { schema: stockSchema },
    storeproducts: { schema: storeProductSchema },
    operations: { schema: operationSchema },
    resolutions: { schema: resolutionSchema },
    alerts: { schema: alertSchema },
  });
  return db;
}
