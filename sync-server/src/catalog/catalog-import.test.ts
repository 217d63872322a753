import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_CSV_COLUMNS, toCsv, type CatalogImportReport } from '@bazaar/shared';
import { countRows, createStore, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';

// The admin's catalog import against real PostgreSQL: thousands of rows in one
// transaction, the bad ones reported and refused, the rest pulled by devices.
let h: Harness;
let admin: ApiClient;

const product = (n: number, overrides: Partial<Record<(typeof CATALOG_CSV_COLUMNS)[number], string | number>> = {}) => {
  const row = { sku: `IMP-${n}`, barcode: String(8964000000000 + n), name_en: `Imported ${n}`, name_ur: `درآمد ${n}`, category: 'grocery', unit: 'piece', pack_size: 1, default_price: 50 + (n % 100), ...overrides };
  return CATALOG_CSV_COLUMNS.map((c) => row[c]);
};
const importCsv = (client: ApiClient, csv: string, dryRun = false) =>
  client.request('POST', '/api/catalog/import', { csv, dryRun }) as Promise<{ status: number; body: CatalogImportReport & { message?: string } }>;

beforeAll(async () => {
  h = await startHarness();
  admin = await signIn(h, 'admin', []);
});
afterAll(() => h?.close());

describe('POST /api/catalog/import', () => {
  it('applies 5,000 rows in one go, refuses the bad ones with their line and why, and devices pull the new products', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => product(i));
    rows[10] = product(10, { default_price: 'twelve' });
    rows[20] = product(20, { unit: 'sack' });
    rows[30] = product(5); // SKU of line 7 again
    const csv = toCsv(CATALOG_CSV_COLUMNS, rows);

    const dry = await importCsv(admin, csv, true);
    expect(dry.body).toMatchObject({ rows: 5000, created: 4997, applied: false });
    expect(await countRows(h.sql, 'products', `sku LIKE 'IMP-%'`)).toBe(0);

    const { status, body } = await importCsv(admin, csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 5000, created: 4997, updated: 0, unchanged: 0, applied: true });
    expect(body.refused.map((r) => [r.line, r.sku])).toEqual([
      [12, 'IMP-10'],
      [22, 'IMP-20'],
      [32, 'IMP-5'],
    ]);
    expect(body.refused[0]!.problems[0]).toMatch(/^default_price:/);
    expect(body.refused[1]!.problems[0]).toMatch(/^unit:/);
    expect(body.refused[2]!.problems).toEqual(['sku: repeats line 7', 'barcode: repeats line 7']);
    expect(await countRows(h.sql, 'products', `sku LIKE 'IMP-%'`)).toBe(4997);
    expect(await countRows(h.sql, 'audit_log', `action = 'catalog.imported'`)).toBe(1);

    // A shopkeeper's device pulls them like any product.
    const shopkeeper = await signIn(h, 'shopkeeper', [await createStore(h.sql)]);
    const pulled = await shopkeeper.pull('products', null, 2000);
    expect(pulled.body.documents.some((d: { sku: string }) => d.sku.startsWith('IMP-'))).toBe(true);
  });

  it('the same file again changes nothing; a changed price updates its product and its version', async () => {
    const csv = toCsv(CATALOG_CSV_COLUMNS, [product(1), product(2, { default_price: 999.5 }), product(3, { barcode: '' })]);
    const { body } = await importCsv(admin, csv);
    expect(body).toMatchObject({ created: 0, updated: 2, unchanged: 1, refused: [] });
    const { rows } = await h.sql.query(`SELECT sku, default_price::float8 AS price, version, barcode FROM products WHERE sku IN ('IMP-2', 'IMP-3') ORDER BY sku`);
    expect(rows).toEqual([
      { sku: 'IMP-2', price: 999.5, version: 2, barcode: '8964000000002' },
      { sku: 'IMP-3', price: 53, version: 2, barcode: null },
    ]);
    expect((await importCsv(admin, csv)).body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('a barcode another product holds is refused for that row only', async () => {
    const csv = toCsv(CATALOG_CSV_COLUMNS, [product(7000, { barcode: '8964000000001' }), product(7001)]);
    const { body } = await importCsv(admin, csv);
    expect(body).toMatchObject({ created: 1, refused: [{ line: 2, sku: 'IMP-7000', problems: ['barcode: 8964000000001 belongs to IMP-1'] }] });
  });

  it('exports what it imports: the file read back changes nothing', async () => {
    const res = await fetch(`${h.server.url}/api/catalog/export`, { headers: { authorization: `Bearer ${admin.login.accessToken}`, 'x-bazaar-protocol': '2' } });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte order mark first, so a spreadsheet reads the Urdu names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv.slice(1).split('\r\n')[0]).toBe(CATALOG_CSV_COLUMNS.map((c) => `"${c}"`).join(','));
    const { body } = await importCsv(admin, csv);
    expect(body).toMatchObject({ created: 0, updated: 0, refused: [] });
    expect(body.unchanged).toBe(await countRows(h.sql, 'products'));
  });

  it('only admins import and export; a file that is not the catalog is a clear 400 and changes nothing', async () => {
    const owner = await signIn(h, 'owner', [await createStore(h.sql)]);
    expect((await importCsv(owner, 'sku\nX')).status).toBe(403);
    expect((await owner.request('GET', '/api/catalog/export')).status).toBe(403);
    const before = await countRows(h.sql, 'products');
    for (const csv of ['sku,name\nA,B', '"unclosed', 'sku,barcode,name_en,name_ur,category,unit,pack_size,default_price,colour\n']) {
      const res = await importCsv(admin, csv);
      expect(res.status, csv).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
    expect((await admin.request('POST', '/api/catalog/import', { csv: '' })).status).toBe(400);
    expect(await countRows(h.sql, 'products')).toBe(before);
  });
});
