import { describe, expect, it } from 'vitest';
import { readCatalogRows } from './catalog-import';

const header = ['sku', 'barcode', 'name_en', 'name_ur', 'category', 'unit', 'pack_size', 'default_price'];
const row = (sku: string, overrides: Partial<Record<string, string>> = {}) =>
  header.map((c) => overrides[c] ?? { sku, barcode: '', name_en: `Atta ${sku}`, name_ur: 'آٹا', category: 'flour', unit: 'kg', pack_size: '1', default_price: '120.50' }[c]!);

describe('readCatalogRows', () => {
  it('reads good rows as products, numbers from text, an empty barcode as none', () => {
    const { rows, refused } = readCatalogRows(header, [row('ATTA-1'), row('ATTA-2', { barcode: '8964000000017', pack_size: '24' })]);
    expect(refused).toEqual([]);
    expect(rows.map((r) => [r.line, r.product.sku, r.product.barcode, r.product.packSize, r.product.defaultPrice])).toEqual([
      [2, 'ATTA-1', undefined, 1, 120.5],
      [3, 'ATTA-2', '8964000000017', 24, 120.5],
    ]);
  });

  it('refuses each bad row with every problem, by the column names of the file, and keeps the rest', () => {
    const { rows, refused } = readCatalogRows(header, [
      row('OK-1'),
      row('BAD-PRICE', { default_price: '12,5' }),
      row('BAD-UNIT', { unit: 'sack', barcode: '12' }),
      row('OK-1'),
      ['ONLY', 'THREE', 'FIELDS'],
      row('', { name_en: '' }),
      row('NEG', { default_price: '-1' }),
      row('DEC', { default_price: '1.005' }),
    ]);
    expect(rows.map((r) => r.product.sku)).toEqual(['OK-1']);
    const by = Object.fromEntries(refused.map((r) => [r.line, r.problems.join(' | ')]));
    expect(by[3]).toBe('default_price: "12,5" is not a number');
    expect(by[4]).toMatch(/unit:.*\| barcode: 8 to 14 digits|barcode: 8 to 14 digits.*unit:/);
    expect(by[5]).toBe('sku: repeats line 2');
    expect(by[6]).toBe('has 3 fields, the header 8');
    expect(by[7]).toMatch(/sku:.*name_en:/);
    expect(by[8]).toMatch(/default_price/);
    expect(by[9]).toMatch(/at most 2 decimals/);
  });

  it('a file without a column, or with one it does not know, is refused as a whole', () => {
    expect(readCatalogRows(header.slice(1), []).fileProblems).toEqual(['missing columns: sku']);
    expect(readCatalogRows([...header, 'colour'], [[...row('X'), 'red']]).fileProblems).toEqual(['unknown columns: colour']);
    // Header names are read as written by a spreadsheet: any case, spaces around.
    expect(readCatalogRows(header.map((h) => ` ${h.toUpperCase()} `), [row('X')]).rows).toHaveLength(1);
  });
});
