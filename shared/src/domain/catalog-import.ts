import { CATALOG_CSV_COLUMNS, CreateProductRequest, type RefusedRow } from '../protocol/catalog';

export interface ImportRow {
  line: number;
  product: CreateProductRequest;
}

/**
 * A catalog file's rows (after the header) as products, each checked by the
 * same schema as one product added by hand; a row that fails it, or repeats
 * a SKU or barcode of an earlier row of the file, is refused with every
 * problem found. The header must name every column; unknown columns are a
 * problem of the file, not of a row.
 */
export function readCatalogRows(header: readonly string[], records: readonly (readonly string[])[]): { rows: ImportRow[]; refused: RefusedRow[]; fileProblems: string[] } {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = CATALOG_CSV_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(CATALOG_CSV_COLUMNS as readonly string[]).includes(n));
  const fileProblems = [
    ...(missing.length > 0 ? [`missing columns: ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`unknown columns: ${unknown.join(', ')}`] : []),
  ];
  if (fileProblems.length > 0) return { rows: [], refused: [], fileProblems };
  const index = Object.fromEntries(CATALOG_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof CATALOG_CSV_COLUMNS)[number], number>;

  const rows: ImportRow[] = [];
  const refused: RefusedRow[] = [];
  const skus = new Map<string, number>();
  const barcodes = new Map<string, number>();
  records.forEach((record, i) => {
    const line = i + 2;
    const cell = (c: (typeof CATALOG_CSV_COLUMNS)[number]) => (record[index[c]] ?? '').trim();
    const sku = cell('sku') || null;
    if (record.length !== names.length) {
      refused.push({ line, sku, problems: [`has ${record.length} fields, the header ${names.length}`] });
      return;
    }
    const number = (text: string) => (text === '' ? undefined : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN);
    const parsed = CreateProductRequest.safeParse({
      sku: cell('sku'),
      ...(cell('barcode') ? { barcode: cell('barcode') } : {}),
      nameEn: cell('name_en'),
      nameUr: cell('name_ur'),
      category: cell('category'),
      unit: cell('unit'),
      ...(cell('pack_size') ? { packSize: number(cell('pack_size')) } : {}),
      defaultPrice: number(cell('default_price')),
    });
    // A number column holding words says so in words, not as the schema's "received NaN".
    const notNumbers = (['pack_size', 'default_price'] as const).filter((c) => Number.isNaN(number(cell(c))));
    const problems = [
      ...notNumbers.map((c) => `${c}: "${cell(c)}" is not a number`),
      ...(parsed.success ? [] : parsed.error.issues.map((issue) => ({ column: columnOf(String(issue.path[0] ?? '')), message: issue.message }))
        .filter((issue) => !(notNumbers as readonly string[]).includes(issue.column))
        .map((issue) => `${issue.column}: ${issue.message}`)),
    ];
    if (sku && skus.has(sku)) problems.push(`sku: repeats line ${skus.get(sku)}`);
    const barcode = cell('barcode');
    if (barcode && barcodes.has(barcode)) problems.push(`barcode: repeats line ${barcodes.get(barcode)}`);
    if (sku && !skus.has(sku)) skus.set(sku, line);
    if (barcode && !barcodes.has(barcode)) barcodes.set(barcode, line);
    if (problems.length > 0 || !parsed.success) refused.push({ line, sku, problems });
    else rows.push({ line, product: parsed.data });
  });
  return { rows, refused, fileProblems };
}

const columnOf = (field: string) =>
  ({ nameEn: 'name_en', nameUr: 'name_ur', packSize: 'pack_size', defaultPrice: 'default_price' })[field] ?? field;
