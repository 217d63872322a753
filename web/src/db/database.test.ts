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

// The operations schema as protocol 1-6 apps kept it: version 0, the server's verdict merged in.
const operationSchemaV0 = {
  ...operationSchema,
  version: 0,
  properties: {
    id: { type: 'string', maxLength: 36 },
    storeId: { type: 'string', maxLength: 36 },
    deviceId: { type: 'string' },
    createdAt: { type: 'string', maxLength: 40 },
    type: { type: 'string' },
    status: { type: 'string' },
    lines: { type: 'array' },
    payment: { type: 'object' },
    reason: { type: ['string', 'null'] },
    message: { type: ['string', 'null'] },
    discrepancy: { type: 'boolean' },
    resolution: { type: ['object', 'null'] },
    receivedAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};

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

describe('opening a database kept by a protocol 6 app', () => {
  it('moves the verdict of pulled operations into `outcome`, gives an adjustment its own reason back, and leaves queued ones as they were', async () => {
    const name = `migrate${randomUUID().replace(/-/g, '')}`;
    const older = await database(name, { operations: { schema: operationSchemaV0 } });
    const storeId = randomUUID();
    const productId = randomUUID();
    const at = '2026-12-04T10:00:00.000Z';
    const base = { storeId, deviceId: 'phone-1', createdAt: at };
    const queued = { ...base, id: randomUUID(), type: 'adjustment', lines: [{ productId, quantity: -1 }], reason: 'expiry' };
    const setAside = { ...base, id: randomUUID(), type: 'sale', lines: [{ productId, quantity: 1, unitPrice: 10 }], payment: { method: 'cash' }, setAside: { status: 403, reason: 'forbidden', message: 'no', at } };
    const received = { userId: 'u-1', receivedAt: '2026-12-04T10:05:00.000Z', updatedAt: '2026-12-04T10:06:00.000Z' };
    const damaged = { ...base, id: randomUUID(), type: 'adjustment', lines: [{ productId, quantity: -2 }], adjustmentReason: 'damage', status: 'applied', discrepancy: true, reason: 'negative_stock', message: 'below zero', ...received };
    const resolution = { action: 'discarded', at, deviceId: 'phone-2', role: 'owner' };
    const current = { storeId, productId, price: 130, reorderLevel: null, active: true, version: 3 };
    const stale = { ...base, id: randomUUID(), type: 'store_product_update', productId, baseVersion: 2, changes: { price: 120 }, status: 'rejected', discrepancy: false, reason: 'stale_version', message: 'someone changed it', current, resolution, ...received };
    await older.operations!.bulkInsert([queued, setAside, damaged, stale]);
    await older.close();
    open.pop();

    const updated = await database(name, collections);
    const byId = new Map((await updated.operations!.find().exec()).map((d) => [d.id, d.toJSON() as Record<string, unknown>]));
    expect(byId.get(queued.id)).toEqual(expect.objectContaining(queued));
    expect(byId.get(queued.id)).not.toHaveProperty('outcome');
    expect(byId.get(setAside.id)).toEqual(expect.objectContaining(setAside));
    const { adjustmentReason: _a, status: _s, discrepancy: _d, reason: _r, message: _m, userId: _u, receivedAt: _at, ...damagedAsWritten } = damaged;
    expect(byId.get(damaged.id)).toEqual({
      ...damagedAsWritten,
      reason: 'damage',
      outcome: { status: 'applied', discrepancy: true, reason: 'negative_stock', message: 'below zero', current: null, resolution: null, userId: 'u-1', receivedAt: received.receivedAt },
    });
    expect(byId.get(stale.id)).toMatchObject({ changes: { price: 120 }, outcome: { status: 'rejected', reason: 'stale_version', current, resolution } });
    expect(byId.get(stale.id)).not.toHaveProperty('reason');
    expect(byId.get(stale.id)).not.toHaveProperty('status');
  });
});
