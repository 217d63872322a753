import { z } from 'zod';
import { text } from './fields';

const price = z.number().nonnegative().max(1e9).refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimals');

/** An admin adds a product to the central catalog. */
export const CreateProductRequest = z.strictObject({
  sku: text(64).trim().min(1),
  barcode: z.string().trim().regex(/^\d{8,14}$/, '8 to 14 digits').optional(),
  nameEn: text(200).trim().min(1),
  nameUr: text(200).trim().min(1),
  category: text(64).trim().min(1),
  unit: z.enum(['piece', 'kg', 'litre', 'dozen', 'pack']),
  packSize: z.number().int().positive().max(10_000).default(1),
  defaultPrice: price,
});
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;

export const CreateStoreRequest = z.strictObject({
  name: text(120).trim().min(1),
  city: text(80).trim().optional(),
  /** A province or sales area: dashboards filter by it. */
  region: text(80).trim().min(1).optional(),
});
export type CreateStoreRequest = z.infer<typeof CreateStoreRequest>;
