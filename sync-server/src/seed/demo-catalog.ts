export interface DemoProduct { sku: string; barcode: string; nameEn: string; nameUr: string; category: string; unit: string; packSize: number; defaultPrice: number }
export const demoCatalog: readonly DemoProduct[] = [];
