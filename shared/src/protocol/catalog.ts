import { z } from 'zod';

const price = z.number().nonnegative().max(1e9).refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimals');

/** An admin adds a product to the central catalog. */
export const CreateProductRequest = z.strictObject({
  sku: z.string().trim().min(1).max(64),
  barcode: z.string().trim().regex(/^\d{8,14}$/, '8 to 14 digits').optional(),
  nameEn: z.string().trim().min(1).max(200),
  nameUr: z.string().trim().min(1).max(200),
  category: z.string().trim().min(1).max(64),
  unit: z.enum(['piece', 'kg', 'litre', 'dozen', 'pack']),
  packSize: z.number().int().positive().max(10_000).default(1),
  defaultPrice: price,
});
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;

export const CreateStoreRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  city: z.string().trim().max(80).optional(),
});
export type CreateStoreRequest = z.infer<typeof CreateStoreRequest>;
