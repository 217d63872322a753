import { z } from 'zod';
import { Operation, OperationOutcome, PushedOperation, type SaleOperation } from './operations';
import type { OperationResolution } from './resolutions';
import { Alert } from './reports';

/**
 * Replication messages, shaped after RxDB's replication protocol: a push is
 * an array of rows `{ assumedMasterState, newDocumentState }` answered by the
 * array of master documents that conflict (empty when none); a pull is
 * checkpointed and returns `{ documents, checkpoint }`.
 */

export const PushRow = z.strictObject({
  newDocumentState: PushedOperation,
  assumedMasterState: z.unknown().nullable().optional(),
});
export type PushRow = z.infer<typeof PushRow>;

export const MAX_PUSH_ROWS = 500;
/** The largest request body the server reads (413 above it); devices size their pushes well under it. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const PushRequest = z.array(PushRow).min(1).max(MAX_PUSH_ROWS);
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * Where a pull left off: the server's transaction id that last changed the
 * document, then its id. It orders changes by commit visibility, never by a
 * device's clock (see SPEC.md, rule P3).
 */
export const Checkpoint = z.strictObject({
  txid: z.string().regex(/^\d{1,20}$/),
  id: z.string().max(200),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export const pullCollections = ['products', 'stock', 'store-products', 'operations', 'alerts', 'customers'] as const;
export const PullCollection = z.enum(pullCollections);
export type PullCollection = z.infer<typeof PullCollection>;

export const MAX_PULL_LIMIT = 2000;
/**
 * The page the app asks for. A first sync of a large catalog is written to
 * IndexedDB a page at a time, each page one transaction and one update of
 * the screens: fewer, larger pages cost the phone less (infra/bench/web-bench.ts).
 */
export const DEVICE_PULL_LIMIT = 1000;
export const PullQuery = z.strictObject({
  /** JSON of a Checkpoint; absent or empty on the first pull. */
  checkpoint: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return null;
      try {
        return Checkpoint.parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'checkpoint must be the JSON of {txid, id}' });
        return z.NEVER;
      }
    }),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(200),
});
export type PullQuery = z.infer<typeof PullQuery>;

const syncFields = {
  updatedAt: z.string(),
  _deleted: z.boolean(),
};

export const ProductDoc = z.strictObject({
  id: z.uuid(),
  sku: z.string(),
  barcode: z.string().nullable(),
  nameEn: z.string(),
  nameUr: z.string(),
  category: z.string(),
  unit: z.string(),
  packSize: z.number(),
  defaultPrice: z.number(),
  version: z.number().int(),
  /** Retired from the catalog: not offered for sale; kept so its history still has a name (protocol 3). */
  retired: z.boolean(),
  ...syncFields,
});
export type ProductDoc = z.infer<typeof ProductDoc>;

/** Stock of one product in one store; `id` is `${storeId}:${productId}`. */
export const StockDoc = z.strictObject({
  id: z.string(),
  storeId: z.uuid(),
  productId: z.uuid(),
  quantity: z.number(),
  version: z.number().int(),
  ...syncFields,
});
export type StockDoc = z.infer<typeof StockDoc>;

/** A store's own state of a product; `id` is `${storeId}:${productId}`. */
export const StoreProductDoc = z.strictObject({
  id: z.string(),
  storeId: z.uuid(),
  productId: z.uuid(),
  price: z.number().nullable(),
  reorderLevel: z.number().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  ...syncFields,
});
export type StoreProductDoc = z.infer<typeof StoreProductDoc>;

/**
 * A store's alert as its devices pull it: open ones, and those cleared in
 * the last ALERT_PULL_DAYS (older history is read from GET /api/alerts).
 */
export const AlertDoc = z.strictObject({ ...Alert.shape, ...syncFields });
export type AlertDoc = z.infer<typeof AlertDoc>;
export const ALERT_PULL_DAYS = 7;

/**
 * A store's ledger customer as its devices pull it (protocol 4). `balance`
 * (rupees), `owedSince` and `lastPaymentAt` are the account as the server
 * last worked it out from the entries it holds (SPEC.md L4); a device adds
 * what it has not pushed yet. `mergedInto`: this id is another name for that
 * customer, whose account holds its entries.
 */
export const CustomerDoc = z.strictObject({
  id: z.uuid(),
  storeId: z.uuid(),
  name: z.string(),
  phone: z.string().nullable(),
  creditLimit: z.number().nullable(),
  mergedInto: z.uuid().nullable(),
  balance: z.number(),
  owedSince: z.string().nullable(),
  lastPaymentAt: z.string().nullable(),
  version: z.number().int(),
  ...syncFields,
});
export type CustomerDoc = z.infer<typeof CustomerDoc>;

/**
 * A pulled operation (protocol 7, SPEC.md P4): exactly what the device wrote,
 * with the server's verdict beside it in `outcome`.
 */
export type OperationDoc = Operation & {
  outcome: OperationOutcome;
  updatedAt: string;
  _deleted: false;
};

/** Reads a pulled operation: the device's fields as `Operation` reads them, the outcome strictly. */
export const OperationDoc = {
  parse(doc: unknown): OperationDoc {
    const { outcome, updatedAt, _deleted, ...operation } = doc as Record<string, unknown>;
    return {
      ...Operation.parse(operation),
      outcome: OperationOutcome.parse(outcome),
      updatedAt: z.string().parse(updatedAt),
      _deleted: z.literal(false).parse(_deleted),
    };
  },
};

/**
 * `GET /api/stores/{storeId}/receipts/{number}`: a sale of the store found by
 * its receipt's number, with the returns that name it, for a return against a
 * sale older than the device's history (P7).
 */
export const ReceiptSale = {
  parse(body: unknown): { sale: OperationDoc & SaleOperation; returns: OperationDoc[] } {
    const { sale, returns } = z.strictObject({ sale: z.unknown(), returns: z.array(z.unknown()) }).parse(body);
    const doc = OperationDoc.parse(sale);
    if (doc.type !== 'sale') throw new Error(`A receipt names a sale, not a ${doc.type}.`);
    return { sale: doc, returns: returns.map((r) => OperationDoc.parse(r)) };
  },
};

export interface PullResponse<Doc> {
  documents: Doc[];
  checkpoint: Checkpoint | null;
}

/**
 * Sent on GET /api/sync/stream when something the caller can pull changed.
 * Server instances and the workers tell each other on the Redis channel
 * CHANGE_CHANNEL (prefixed with REDIS_KEY_PREFIX), in this same shape.
 */
export const StreamChange = z.strictObject({
  storeId: z.uuid().nullable(),
  collections: z.array(PullCollection),
});
export type StreamChange = z.infer<typeof StreamChange>;
export const CHANGE_CHANNEL = 'bazaar:sync-changes';

/**
 * How much a device's first sync of a store will receive
 * (`GET /api/stores/{storeId}/sync-size`), so it can show its progress:
 * the catalog's products and the store's stock rows, as it keeps them.
 */
export const SyncSize = z.strictObject({
  products: z.number().int().min(0),
  stock: z.number().int().min(0),
});
export type SyncSize = z.infer<typeof SyncSize>;
