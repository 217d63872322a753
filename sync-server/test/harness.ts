import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LoginResponse, Operation, OutboxEvent, Role } from '@bazaar/shared';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@bazaar/shared';
import { hashPassword } from '../src/auth/password';
import { createUser } from '../src/auth/users-repository';
import { loadConfig } from '../src/config';
import { eventsFor } from '../src/outbox/events';
import { readLog, unpublished, type LogPosition } from '../src/outbox/relay';
import { startServer, type RunningServer } from '../src/server';
import { createTestDatabase, type TestDatabase } from './services';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-000';
export const TEST_PASSWORD = 'correct horse battery staple';

export interface Harness {
  server: RunningServer;
  database: TestDatabase;
  /** A direct connection for assertions and fixtures. */
  sql: pg.Pool;
  close(): Promise<void>;
}

/** A real server on a fresh real database. `env` adds REDIS_URL, KAFKA_BROKERS and the like; `cluster` picks another PostgreSQL. */
export async function startHarness(
  env: Record<string, string> = {},
  cluster?: string,
  /** Where pulls read this database from (DATABASE_READ_URL), once it is there. */
  readFrom?: (database: TestDatabase) => Promise<string>,
): Promise<Harness> {
  const database = await createTestDatabase(cluster);
  const readUrl = readFrom ? { DATABASE_READ_URL: await readFrom(database) } : {};
  const server = await startServer(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      OUTBOX_POLL_MS: '50',
      // The test process is the ingress: its X-Forwarded-For gives each fixture an address of its own.
      TRUST_PROXY: 'loopback',
      ...readUrl,
      ...env,
    }),
  );
  const sql = new pg.Pool({ connectionString: database.url, max: 4 });
  // A test that stops PostgreSQL ends this pool's idle connections too.
  sql.on('error', () => {});
  return {
    server,
    database,
    sql,
    async close() {
      await server.stop();
      await sql.end();
      await database.drop();
    },
  };
}

export async function createStore(sql: pg.Pool, name = 'Test Store'): Promise<string> {
  const { rows } = await sql.query<{ id: string }>('INSERT INTO stores (name) VALUES ($1) RETURNING id', [name]);
  return rows[0]!.id;
}

export async function createProduct(sql: pg.Pool, overrides: { price?: number } = {}): Promise<string> {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO products (sku, name_en, name_ur, category, unit, default_price) VALUES ($1, $2, $3, 'test', 'piece', $4) RETURNING id`,
    [sku, `Product ${sku}`, 'آزمائشی', overrides.price ?? 100],
  );
  return rows[0]!.id;
}

let passwordHash: Promise<string> | null = null;

/** A client address in 10/8, as the ingress would forward it. */
export const randomAddress = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join('.')}`;

/** A user with one role in some stores, logged in: ready to push. */
export async function signIn(h: Harness, role: Role, storeIds: string[]): Promise<ApiClient> {
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  passwordHash ??= hashPassword(TEST_PASSWORD);
  await createUser(h.sql, { username, passwordHash: await passwordHash, role, storeIds });
  const res = await fetch(`${h.server.url}/api/auth/login`, {
    method: 'POST',
    // Each sign-in comes from an address of its own, so fixtures never trip the per-address login limit.
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
    body: JSON.stringify({ username, password: TEST_PASSWORD, deviceId: `device-${username}` }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const login = (await res.json()) as LoginResponse;
  return new ApiClient(h.server.url, login);
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly login: LoginResponse,
  ) {}

  get userId(): string {
    return this.login.user.id;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.login.accessToken}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  }

  /** Pushes operations as RxDB would: one row each, no assumed master. */
  push(operations: Operation[]) {
    return this.request(
      'POST',
      '/api/sync/operations/push',
      operations.map((op) => ({ newDocumentState: { ...op, _deleted: false }, assumedMasterState: null })),
    );
  }

  pull(collection: string, checkpoint?: object | null, limit = 200) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    return this.request('GET', `/api/sync/${collection}/pull?${q}`);
  }
}

const now = () => new Date().toISOString();
const base = (storeId: string, deviceId = 'phone-1') => ({ id: randomUUID(), storeId, deviceId, createdAt: now() });

/** Builders for the operations a device sends. */
export const op = {
  sale: (storeId: string, lines: { productId: string; quantity: number; unitPrice?: number }[], deviceId?: string): Operation => ({
    ...base(storeId, deviceId),
    type: 'sale',
    lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice ?? 100 })),
    payment: { method: 'cash' },
  }),
  purchase: (storeId: string, lines: { productId: string; quantity: number }[]): Operation => ({
    ...base(storeId),
    type: 'purchase',
    lines: lines.map((l) => ({ ...l, unitCost: 80 })),
    supplier: 'Metro Wholesale',
  }),
  count: (storeId: string, productId: string, countedQuantity: number, baseVersion: number): Operation => ({
    ...base(storeId, 'tablet-1'),
    type: 'count',
    lines: [{ productId, countedQuantity, baseVersion }],
  }),
  adjustment: (storeId: string, productId: string, quantity: number): Operation => ({
    ...base(storeId, 'tablet-1'),
    type: 'adjustment',
    lines: [{ productId, quantity }],
    reason: 'damage',
  }),
  price: (storeId: string, productId: string, baseVersion: number, price: number): Operation => ({
    ...base(storeId, 'tablet-1'),
    type: 'store_product_update',
    productId,
    baseVersion,
    changes: { price },
  }),
};

export async function stockOf(sql: pg.Pool, storeId: string, productId: string): Promise<{ quantity: number; version: number } | null> {
  const { rows } = await sql.query<{ quantity: number; version: number }>(
    'SELECT quantity::float8 AS quantity, version FROM stock WHERE store_id = $1 AND product_id = $2',
    [storeId, productId],
  );
  return rows[0] ?? null;
}

/** Waits until the relay has published everything pushed so far (and, with no Kafka, the workers have applied it). */
export async function eventsPublished(h: Harness, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await unpublished(h.sql)) > 0) {
    if (Date.now() > end) throw new Error('the relay did not publish everything in the log');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The events the log makes of one operation, as the relay publishes them. */
export async function eventsOf(h: Harness, operationId: string): Promise<OutboxEvent[]> {
  const { rows } = await h.sql.query<LogPosition>('SELECT logged_txid::text AS txid, log_seq AS seq FROM operations WHERE id = $1', [operationId]);
  if (!rows[0]) throw new Error(`no operation ${operationId} in the log`);
  // Every transaction so far has ended: the largest xid8 is a horizon past all of them.
  const [entry] = await readLog(h.sql, { txid: rows[0].txid, seq: rows[0].seq - 1 }, '18446744073709551615', 1);
  return eventsFor(entry!);
}

export async function countRows(sql: pg.Pool, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return rows[0]!.n;
}

/** Reads until `done` holds: the workers project a push a moment after it answers. */
export async function untilProjected<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`the projection did not catch up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
