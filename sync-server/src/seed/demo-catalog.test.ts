import { describe, expect, it } from 'vitest';
import { demoCatalog, eanCheckDigit } from './demo-catalog';

describe('demo catalog', () => {
  it('has about 200 products with unique SKUs and valid, unique EAN-13 barcodes', () => {
    expect(demoCatalog.length).toBeGreaterThanOrEqual(195);
    expect(new Set(demoCatalog.map((p) => p.sku)).size).toBe(demoCatalog.length);
    expect(new Set(demoCatalog.map((p) => p.barcode)).size).toBe(demoCatalog.length);
    for (const p of demoCatalog) {
      expect(p.barcode).toMatch(/^896\d{10}$/);
      expect(eanCheckDigit(p.barcode.slice(0, 12))).toBe(Number(p.barcode[12]));
    }
  });

  it('names every product in Urdu script and prices it in whole rupees or paisa', () => {
    for (const p of demoCatalog) {
      expect(p.nameUr).toMatch(/[\u0600-\u06FF]/);
      expect(p.defaultPrice).toBeGreaterThan(0);
      expect(Math.round(p.defaultPrice * 100)).toBe(p.defaultPrice * 100);
      expect(Number.isInteger(p.packSize) && p.packSize > 0).toBe(true);
    }
  });

  it('computes the EAN-13 check digit as GS1 does', () => {
    // Two worked examples from GS1's own material: 4006381333931 and 5012345678900.
    expect(eanCheckDigit('400638133393')).toBe(1);
    expect(eanCheckDigit('501234567890')).toBe(0);
  });
});
