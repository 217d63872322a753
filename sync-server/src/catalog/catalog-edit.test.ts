import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CatalogList, PROTOCOL_HEADER, PROTOCOL_VERSION, type CatalogProduct, type CreateProductRequest } from '@bazaar/shared';
import { countRows, createStore, op, signIn, stockOf, startHarness, type ApiClient, type Harness } from '../../test/harness';

// The admin's edits of one product against real PostgreSQL: made against the
// version read, audited with what it was, pulled by devices; a retired product
// keeps its history and stops being offered, and older apps still read it.
let h: Harness;
let admin: ApiClient;
let shopkeeper: ApiClient;
let storeId: string;

const fields = (n: string): CreateProductRequest => ({
  sku: `EDIT-${n}`,
  barcode: `89641${n.padStart(8, '0')}`,
  nameEn: `Edited ${n}`,
  nameUr: `ترمیم ${n}`,
  category: 'grocery',
  unit: 'piece',
  packSize: 1,
  defaultPrice: 120,
});

async function newProduct(n: string): Promise<CatalogProduct> {
  const created = await admin.request('POST', '/api/catalog/products', fields(n));
  expect(created.status).toBe(201);
  return (await admin.request('GET', `/api/catalog/products?q=EDIT-${n}`)).body.rows[0];
}

async function pulledProduct(client: ApiClient, id: string, protocol?: string) {
  const headers: Record<string, string> = protocol ? { [PROTOCOL_HEADER]: protocol } : {};
  const res = await client.request('GET', '/api/sync/products/pull?limit=2000', undefined, headers);
  expect(res.status).toBe(200);
  return (res.body.documents as { id: string }[]).find((d) => d.id === id) as Record<string, unknown> | undefined;
}

/** The catalog CSV as an admin downloads it. */
async function exported(): Promise<string> {
  const res = await fetch(`${h.server.url}/api/catalog/export`, { headers: { authorization: `Bearer ${admin.login.accessToken}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } });
  expect(res.status).toBe(200);
  return res.text();
}

beforeAll(async () => {
  h = await startHarness();
  admin = await signIn(h, 'admin', []);
  storeId = await createStore(h.sql);
  shopkeeper = await signIn(h, 'shopkeeper', [storeId]);
});
afterAll(() => h?.close());

describe('PUT /api/catalog/products/:id', () => {
  it('edits against the version read: the version goes up, the change is audited with its before, devices pull it', async () => {
    const p = await newProduct('1');
    expect(p).toMatchObject({ version: 1, retiredAt: null, nameEn: 'Edited 1' });

    const res = await admin.request('PUT', `/api/catalog/products/${p.id}`, { ...fields('1'), nameEn: 'Edited one', defaultPrice: 135.5, version: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, nameEn: 'Edited one', defaultPrice: 135.5, version: 2 });

    const { rows } = await h.sql.query(`SELECT details FROM audit_log WHERE action = 'product.updated' AND details->>'productId' = $1`, [p.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ before: { nameEn: 'Edited 1', version: 1 }, after: { nameEn: 'Edited one', version: 2 } });

    expect(await pulledProduct(shopkeeper, p.id)).toMatchObject({ nameEn: 'Edited one', defaultPrice: 135.5, version: 2, retired: false });
  });

  it('an edit made against an older version is refused with 409 and the product as it is now; nothing changes', async () => {
    const p = await newProduct('2');
    expect((await admin.request('PUT', `/api/catalog/products/${p.id}`, { ...fields('2'), nameEn: 'First', version: 1 })).status).toBe(200);
    const stale = await admin.request('PUT', `/api/catalog/products/${p.id}`, { ...fields('2'), nameEn: 'Second', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'conflict', details: { current: { nameEn: 'First', version: 2 } } });
    expect(stale.body.message).toMatch(/changed by someone else/);
    const { rows } = await h.sql.query('SELECT name_en, version FROM products WHERE id = $1', [p.id]);
    expect(rows[0]).toEqual({ name_en: 'First', version: 2 });
  });

  it('a SKU or barcode another product holds is a clear 400 that changes nothing', async () => {
    const a = await newProduct('3');
    await newProduct('4');
    const sku = await admin.request('PUT', `/api/catalog/products/${a.id}`, { ...fields('3'), sku: 'EDIT-4', version: 1 });
    expect(sku).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect(sku.body.message).toMatch(/SKU EDIT-4 belongs to another product/);
    const barcode = await admin.request('PUT', `/api/catalog/products/${a.id}`, { ...fields('3'), barcode: fields('4').barcode, version: 1 });
    expect(barcode.status).toBe(400);
    expect(barcode.body.message).toMatch(/belongs to EDIT-4/);
    expect((await h.sql.query('SELECT version FROM products WHERE id = $1', [a.id])).rows[0].version).toBe(1);
  });

  it('bad input, an unknown product and a non-admin are refused before anything is read', async () => {
    const p = await newProduct('5');
    const bad = await admin.request('PUT', `/api/catalog/products/${p.id}`, { ...fields('5'), defaultPrice: -3, version: 1 });
    expect(bad).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    const noVersion = await admin.request('PUT', `/api/catalog/products/${p.id}`, fields('5'));
    expect(noVersion.status).toBe(400);
    expect((await admin.request('PUT', '/api/catalog/products/not-a-uuid', { ...fields('5'), version: 1 })).status).toBe(400);
    expect((await admin.request('PUT', `/api/catalog/products/${randomUUID()}`, { ...fields('5'), version: 1 })).status).toBe(404);
    const owner = await signIn(h, 'owner', [storeId]);
    expect((await owner.request('PUT', `/api/catalog/products/${p.id}`, { ...fields('5'), version: 1 })).status).toBe(403);
    expect((await owner.request('POST', `/api/catalog/products/${p.id}/retire`, { version: 1 })).status).toBe(403);
    expect((await shopkeeper.request('GET', '/api/catalog/products')).status).toBe(403);
    expect(await countRows(h.sql, 'audit_log', `action <> 'product.created' AND details->>'productId' = $1`, [p.id])).toBe(0);
  });
});

describe('retiring a product', () => {
  it('devices pull it as retired, its sales are still applied, the list shows it under retired, and it can come back', async () => {
    const p = await newProduct('6');
    // What the replenishment worker would have suggested for it.
    await h.sql.query(
      `INSERT INTO replenishment_suggestions (store_id, product_id, as_of, on_hand, reorder_level, daily_velocity, lead_time_days, suggested_quantity, basis)
       VALUES ($1, $2, current_date, 0, 5, 1, 2, 7, '{}')`,
      [storeId, p.id],
    );
    const owner = await signIn(h, 'owner', [storeId]);
    const suggested = () => owner.request('GET', `/api/replenishment?storeId=${storeId}`).then((r) => r.body.suggestions.map((s: { productId: string }) => s.productId));
    expect(await suggested()).toEqual([p.id]);

    const retired = await admin.request('POST', `/api/catalog/products/${p.id}/retire`, { version: 1 });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ version: 2 });
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    expect(await pulledProduct(shopkeeper, p.id)).toMatchObject({ retired: true, version: 2 });

    // An app of protocol 2 reads products strictly: it is sent the product without the field it does not know.
    const older = await pulledProduct(shopkeeper, p.id, '2');
    expect(older).toMatchObject({ id: p.id, version: 2 });
    expect(older).not.toHaveProperty('retired');

    // A sale recorded on a phone that had not heard yet happened at the counter: it is applied.
    const sale = op.sale(storeId, [{ productId: p.id, quantity: 2 }]);
    expect((await shopkeeper.push([sale])).status).toBe(200);
    expect(await stockOf(h.sql, storeId, p.id)).toMatchObject({ quantity: -2 });

    // Nobody is told to order it again.
    expect(await suggested()).toEqual([]);
    expect((await owner.request('GET', `/api/dashboard/replenishment?storeIds=${storeId}`)).body.rows).toEqual([]);

    const active = (await admin.request('GET', '/api/catalog/products?q=EDIT-6')).body as CatalogList;
    expect(active.total).toBe(0);
    const listed = (await admin.request('GET', '/api/catalog/products?q=EDIT-6&status=retired')).body as CatalogList;
    expect(listed.rows.map((r) => r.id)).toEqual([p.id]);
    // The file is the catalog on sale: a retired product is not in it (its row stays in the database).
    expect(await exported()).not.toContain(p.sku);

    const stale = await admin.request('POST', `/api/catalog/products/${p.id}/restore`, { version: 1 });
    expect(stale.status).toBe(409);
    const restored = await admin.request('POST', `/api/catalog/products/${p.id}/restore`, { version: 2 });
    expect(restored.body).toMatchObject({ retiredAt: null, version: 3 });
    expect(await pulledProduct(shopkeeper, p.id)).toMatchObject({ retired: false, version: 3 });
    expect(await exported()).toContain(`"${p.sku}"`);
    expect(await countRows(h.sql, 'audit_log', `action IN ('product.retired', 'product.restored') AND details->>'productId' = $1`, [p.id])).toBe(2);
  });
});

describe('GET /api/catalog/products', () => {
  it('searches SKU, barcode and both names, pages in SKU order, and treats % and _ as themselves', async () => {
    for (const n of ['7', '8', '9']) await newProduct(n);
    const byUrdu = (await admin.request('GET', `/api/catalog/products?q=${encodeURIComponent('ترمیم 8')}`)).body as CatalogList;
    expect(byUrdu.rows.map((r) => r.sku)).toEqual(['EDIT-8']);
    expect((await admin.request('GET', `/api/catalog/products?q=${fields('9').barcode}`)).body.rows.map((r: CatalogProduct) => r.sku)).toEqual(['EDIT-9']);
    // The answer is exactly the shared schema (the app parses it strictly).
    const page = CatalogList.parse((await admin.request('GET', '/api/catalog/products?q=edit-&pageSize=2&page=2&status=all')).body);
    expect(page).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.total).toBeGreaterThanOrEqual(9);
    expect(page.rows.map((r) => r.sku)).toEqual(['EDIT-3', 'EDIT-4']);
    expect((await admin.request('GET', '/api/catalog/products?q=%25')).body.total).toBe(0);
    expect((await admin.request('GET', '/api/catalog/products?pageSize=1000')).status).toBe(400);
  });
});
