import { createHash } from 'node:crypto';
import type { Operation, Role } from '@bazaar/shared';
import { hashPassword } from '../auth/password';
import type { Database } from '../db/database';
import { pushOperations } from '../sync/push-service';
import { demoCatalog } from './demo-catalog';

export const DEMO_PASSWORD = 'bazaar-demo';

/** A stable uuid for a demo name, so seeding twice finds what it made the first time. */
export function demoId(name: string): string {
  const h = createHash('sha1').update(`bazaar-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const demoStores = [
  { id: demoId('store:karachi-saddar'), name: 'Saddar Kiryana Store', city: 'Karachi', region: 'Sindh' },
  { id: demoId('store:lahore-anarkali'), name: 'Anarkali General Store', city: 'Lahore', region: 'Punjab' },
  { id: demoId('store:islamabad-g9'), name: 'G-9 Markaz Mart', city: 'Islamabad', region: 'Islamabad' },
] as const;

const [karachi, lahore, islamabad] = demoStores;
export const demoUsers: { username: Role; role: Role; storeIds: string[] }[] = [
  { username: 'shopkeeper', role: 'shopkeeper', storeIds: [karachi.id] },
  { username: 'owner', role: 'owner', storeIds: [karachi.id, lahore.id] },
  { username: 'manager', role: 'manager', storeIds: [karachi.id, lahore.id, islamabad.id] },
  { username: 'admin', role: 'admin', storeIds: [] },
];

/**
 * Loads the demo stores, catalog and one user per role. Idempotent: what
 * exists is left alone. Opening stock goes through the same push path as a
 * device's purchase, so it has its movements and events like any other.
 */
export async function seedDemo(db: Database): Promise<{ created: boolean }> {
  const { rows } = await db.pool.query(`SELECT 1 FROM users WHERE username = 'owner'`);
  if (rows.length > 0) return { created: false };

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO stores (id, name, city, region) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [demoStores.map((s) => s.id), demoStores.map((s) => s.name), demoStores.map((s) => s.city), demoStores.map((s) => s.region)],
    );
    await tx.query(
      `INSERT INTO products (id, sku, barcode, name_en, name_ur, category, unit, pack_size, default_price)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(id uuid, sku text, barcode text, name_en text, name_ur text,
              category text, unit text, pack_size int, default_price numeric)
       ON CONFLICT DO NOTHING`,
      [
        JSON.stringify(
          demoCatalog.map((p) => ({
            id: demoId(`product:${p.sku}`),
            sku: p.sku,
            barcode: p.barcode,
            name_en: p.nameEn,
            name_ur: p.nameUr,
            category: p.category,
            unit: p.unit,
            pack_size: p.packSize,
            default_price: p.defaultPrice,
          })),
        ),
      ],
    );
    for (const u of demoUsers) {
      const id = demoId(`user:${u.username}`);
      await tx.query(
        `INSERT INTO users (id, username, password_hash, role, display_name) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [id, u.username, passwordHash, u.role, `Demo ${u.role}`],
      );
      await tx.query(`INSERT INTO user_stores (user_id, store_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, u.storeIds]);
    }
  });

  const seeder = { id: demoId('user:owner'), role: 'owner' as const, storeIds: demoStores.map((s) => s.id) };
  await pushOperations(
    db,
    seeder,
    demoStores.map((store, i) => ({
      assumedMasterState: null,
      newDocumentState: {
        id: demoId(`opening-stock:${store.id}`),
        storeId: store.id,
        deviceId: 'seed',
        createdAt: new Date().toISOString(),
        type: 'purchase',
        supplier: 'Opening stock',
        // Varied quantities, a few of them low, so the stock screen has something to show.
        lines: demoCatalog.map((p, j) => ({
          productId: demoId(`product:${p.sku}`),
          quantity: ((j * 7 + i * 13) % 40) + (j % 11 === 0 ? 1 : 5),
          unitCost: Math.round(p.defaultPrice * 0.85 * 100) / 100,
        })),
      } satisfies Operation,
    })),
  );
  return { created: true };
}
