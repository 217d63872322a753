import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxDatabase } from 'rxdb/plugins/core';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { collections } from './database';
import { operationSchema, productSchema } from './schemas';

// What an app updated to protocol 3 finds in the database the previous one
// left: the real migration strategies on RxDB's in-memory storage (the same
// code path as Dexie's; IndexedDB is the browser's, tested end to end).
const open: RxDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

// The products schema as protocol 2 apps kept it: version 0, no `retired`.
const { retired: _retired, ...olderProperties } = productSchema.properties;
const productSchemaV0 = { ...productSchema, version: 0, properties: olderProperties };

async function database(name: string, schemas: Record<string, { schema: unknown; migrationStrategies?: unknown }>) {
  const db = await createRxDatabase({ name, storage: getRxStorageMemory(), multiInstance: false });
  open.push(db);
  await db.addCollections(schemas as never);
  return db;
}

describe('opening a database kept by the protocol 2 app', () => {
  it('keeps every product (marked on sale) and leaves the queued operations as they were', async () => {
    const name = `migrate${randomUUID().replace(/-/g, '')}`;
    const older = await database(name, { products: { schema: productSchemaV0 }, operations: { schema: operationSchema } });
    const productId = randomUUID();
    await older.products!.insert({ id: productId, sku: 'ATTA-5', barcode: null, nameEn: 'Atta 5 kg', nameUr: 'آٹا', category: 'grocery', unit: 'piece', packSize: 1, defaultPrice: 950, version: 4, updatedAt: new Date().toISOString() });
    const sale = { id: randomUUID(), storeId: randomUUID(), deviceId: 'phone-1', createdAt: new Date().toISOString(), type: 'sale', lines: [{ productId, quantity: 2, unitPrice: 950 }], payment: { method: 'cash' } };
    await older.operations!.insert(sale);
    await older.close();
    open.pop();

    const updated = await database(name, collections);
    const product = await updated.products!.findOne(productId).exec();
    expect(product?.toJSON()).toMatchObject({ sku: 'ATTA-5', version: 4, retired: false });
    const queued = await updated.operations!.find().exec();
    expect(queued.map((d) => d.toJSON())).toEqual([expect.objectContaining({ ...sale, lines: sale.lines })]);
  });
});
