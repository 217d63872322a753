/**
 * `npm run bench:sync`: how many sale operations a second the push path
 * applies, with what latency, how long the relay needs to publish the log,
 * and how that compares with pgbench running the same SQL without Node.
 *
 * A benchmark, not a test: it prints figures, and exits non-zero only when
 * the data is wrong afterwards or a phase fails.
 *
 *   npm run bench:sync                       # 1000 stores x 10 batches x 20 sales
 *   npm run bench:sync -- --quick            # 50 stores x 3 batches, 5 s of pgbench
 *   STORES=200 CONCURRENCY=32 npm run bench:sync
 *   npm run bench:sync -- --stores=200 --kafka=no --pgbench-seconds=30
 *
 * Options (env NAME or --name=value / --name value):
 *   STORES (1000)  OPS_PER_BATCH (20)  BATCHES_PER_STORE (10)  LINES_PER_SALE (2)
 *   CONCURRENCY (64)     pushes in flight at once; each store's device pushes one batch after another
 *   PRODUCTS (200)       catalog size; every store gets opening stock of every product
 *   KAFKA (auto)         auto | yes | no: Kafka at KAFKA_BROKERS (127.0.0.1:9092) if it answers, else in process
 *   STORES_PER_USER (50) one shopkeeper login covers this many stores (scrypt logins cost ~0.3 s of CPU each)
 *   POOL_SIZE (20)       the server's DATABASE_POOL_SIZE
 *   PGBENCH_SECONDS (15) PGBENCH_CLIENTS (min(CONCURRENCY, 16)) PGBENCH_THREADS (2) SKIP_PGBENCH (false)
 *   SERVER (child)       child: the server runs in its own Node process; inprocess: in this one
 *   DRAIN_TIMEOUT_SECONDS (600)  QUICK / --quick  KEEP_DATABASE (false: drop it at the end)
 *   MAINTENANCE (vacuum) vacuum | analyze | off: what the bench runs on the push tables every
 *                        MAINTENANCE_SECONDS (20) while pushing, standing in for autovacuum when
 *                        the server has it off (a fresh database's foreign-key checks otherwise keep
 *                        the sequential-scan plans they made while the tables were empty)
 *   SERVER_NODE_ARGS     extra node flags for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   WORKERS (off)        --workers: run the analytics and alerts workers on the bench's topics and
 *                        time a probe sale to its report row and its alert (infra/bench/event-latency.ts)
 *   OPEN_LOOP_SECONDS (20, quick 5)  after the closed-loop run, push at a fixed rate for this long
 *                        (0: skip) and report latency from each push's scheduled time, so a slow
 *                        answer is not hidden by the client waiting for it (coordinated omission)
 *   OPEN_LOOP_RATE (half the measured capacity)  operations/s of that phase
 *   SETUP_SQL            a .sql file run on the bench database after setup, to try an index,
 *                        a dropped constraint or a setting before changing the real schema
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, topics } from '@bazaar/shared';
import { hashPassword } from '../../sync-server/src/auth/password';
import { unpublished } from '../../sync-server/src/outbox/relay';
import { startLatencyProbe, type LatencyFigures } from './event-latency';
import { createTestDatabase, type TestDatabase } from '../../sync-server/test/services';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'bench password that nobody types';
const OPENING_QUANTITY = 10_000;
const UNIT_PRICE = 100;

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);

function rawOption(name: string): string | undefined {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag) {
      const next = argv[i + 1];
      return next === undefined || next.startsWith('--') ? 'true' : next;
    }
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  const env = process.env[name];
  return env === undefined || env === '' ? undefined : env;
}

function intOption(name: string, fallback: number, min = 1): number {
  const raw = rawOption(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${raw}`);
  return n;
}

function boolOption(name: string): boolean {
  const raw = rawOption(name);
  return raw !== undefined && ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

const quick = boolOption('QUICK');
const opts = {
  stores: intOption('STORES', quick ? 50 : 1000),
  opsPerBatch: intOption('OPS_PER_BATCH', 20),
  batchesPerStore: intOption('BATCHES_PER_STORE', quick ? 3 : 10),
  linesPerSale: intOption('LINES_PER_SALE', 2),
  concurrency: intOption('CONCURRENCY', 64),
  products: intOption('PRODUCTS', 200),
  kafka: (rawOption('KAFKA') ?? 'auto').toLowerCase(),
  kafkaBrokers: rawOption('KAFKA_BROKERS') ?? '127.0.0.1:9092',
  storesPerUser: intOption('STORES_PER_USER', 50),
  poolSize: intOption('POOL_SIZE', 20),
  pgbenchSeconds: intOption('PGBENCH_SECONDS', quick ? 5 : 15),
  pgbenchThreads: intOption('PGBENCH_THREADS', 2),
  pgbenchClients: 0,
  skipPgbench: boolOption('SKIP_PGBENCH'),
  server: (rawOption('SERVER') ?? 'child').toLowerCase(),
  drainTimeoutSeconds: intOption('DRAIN_TIMEOUT_SECONDS', 600),
  keepDatabase: boolOption('KEEP_DATABASE'),
  setupSql: rawOption('SETUP_SQL'),
  maintenance: (rawOption('MAINTENANCE') ?? 'vacuum').toLowerCase(),
  maintenanceSeconds: intOption('MAINTENANCE_SECONDS', 20),
  serverNodeArgs: (rawOption('SERVER_NODE_ARGS') ?? '').split(' ').filter(Boolean),
  workers: boolOption('WORKERS'),
  openLoopSeconds: intOption('OPEN_LOOP_SECONDS', quick ? 5 : 20, 0),
  openLoopRate: intOption('OPEN_LOOP_RATE', 0, 0),
};
if (!['analyze', 'vacuum', 'off'].includes(opts.maintenance)) throw new Error('MAINTENANCE must be analyze, vacuum or off');
opts.pgbenchClients = intOption('PGBENCH_CLIENTS', Math.min(opts.concurrency, 16));
if (opts.linesPerSale > opts.products) throw new Error('LINES_PER_SALE cannot exceed PRODUCTS (lines of a sale are distinct products)');
if (!['auto', 'yes', 'no', 'true', 'false', '1', '0'].includes(opts.kafka)) throw new Error('KAFKA must be auto, yes or no');
if (!['child', 'inprocess'].includes(opts.server)) throw new Error('SERVER must be child or inprocess');
if (opts.opsPerBatch > 500) throw new Error('OPS_PER_BATCH cannot exceed the protocol limit of 500');

// ---------------------------------------------------------------- small helpers

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (msg: string) => console.log(`[bench] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function canConnect(hostPort: string, timeoutMs = 1000): Promise<boolean> {
  const [host, port] = hostPort.trim().split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: host!, port: Number(port ?? 9092) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------- CPU accounting from /proc

type CpuCategory = 'sync-server' | 'bench client' | 'postgres: bench db' | 'postgres: other' | 'pgbench' | 'kafka' | 'other';
const CATEGORIES: CpuCategory[] = ['sync-server', 'bench client', 'postgres: bench db', 'postgres: other', 'pgbench', 'kafka', 'other'];

/**
 * Samples per-process CPU time twice a second and sums it by category, so
 * the report can say who used the two cores. Processes that exit between
 * samples lose at most half a second of accounting.
 */
class CpuSampler {
  private readonly ticksPerSecond = 100; // CLK_TCK on Linux
  private last = new Map<string, number>();
  private labels = new Map<string, CpuCategory>();
  private totals = new Map<CpuCategory, number>();
  private startBusy = 0;
  private startAll = 0;
  private startedAt = 0;
  private startUptimeTicks = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dbName: string,
    private readonly serverPid: () => number | undefined,
  ) {}

  start(): void {
    this.totals = new Map(CATEGORIES.map((c) => [c, 0]));
    this.last = new Map();
    this.startUptimeTicks = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * this.ticksPerSecond;
    [this.startBusy, this.startAll] = this.systemTicks();
    this.startedAt = performance.now();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 500);
  }

  stop(): { seconds: number; cores: Map<CpuCategory, number>; busyCores: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample(false);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const [busy, all] = this.systemTicks();
    const cpus = os.cpus().length;
    const busyCores = all > this.startAll ? ((busy - this.startBusy) / (all - this.startAll)) * cpus : NaN;
    const cores = new Map<CpuCategory, number>();
    for (const [c, ticks] of this.totals) cores.set(c, ticks / this.ticksPerSecond / seconds);
    return { seconds, cores, busyCores };
  }

  private systemTicks(): [number, number] {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const all = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return [all - idle, all];
  }

  private classify(pid: number, comm: string): CpuCategory {
    if (pid === process.pid) return 'bench client';
    if (pid === this.serverPid()) return 'sync-server';
    if (comm === 'pgbench') return 'pgbench';
    if (comm === 'postgres') {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {}
      return cmd.includes(this.dbName) ? 'postgres: bench db' : 'postgres: other';
    }
    if (comm === 'java') {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka')) return 'kafka';
      } catch {}
    }
    return 'other';
  }

  private sample(first: boolean): void {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return;
    }
    const seen = new Map<string, number>();
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const rest = stat.slice(close + 2).split(' ');
      const ticks = Number(rest[11]) + Number(rest[12]);
      const startTicks = Number(rest[19]);
      const key = `${entry}:${startTicks}`;
      seen.set(key, ticks);
      let label = this.labels.get(key);
      if (label === undefined || label === 'other') {
        // A backend's command line names its database only once it has one.
        label = this.classify(Number(entry), comm);
        this.labels.set(key, label);
      }
      const before = this.last.get(key);
      let delta = 0;
      if (before !== undefined) delta = ticks - before;
      else if (!first && startTicks >= this.startUptimeTicks) delta = ticks; // born during the phase
      if (delta > 0) this.totals.set(label, (this.totals.get(label) ?? 0) + delta);
    }
    this.last = seen;
  }
}

function cpuLine(r: ReturnType<CpuSampler['stop']>): string {
  const parts = CATEGORIES.map((c) => [c, r.cores.get(c) ?? 0] as const)
    .filter(([, v]) => v >= 0.01)
    .map(([c, v]) => `${c} ${v.toFixed(2)}`);
  return `${parts.join(', ')} (machine busy ${r.busyCores.toFixed(2)} of ${os.cpus().length} cores)`;
}

// ---------------------------------------------------------------- the server under test

interface ServerHandle {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

function serverEnv(databaseUrl: string, kafka: { brokers: string; prefix: string } | null): Record<string, string> {
  const env: Record<string, string> = {};
  // Keep PATH and the like, drop anything the server would read as configuration.
  const configKeys = /^(PORT|DATA_DIR|DATABASE_|REDIS_URL|KAFKA_|JWT_SECRET|ACCESS_TOKEN_TTL_SECONDS|SEED_DEMO|WEB_DIST|OUTBOX_POLL_MS|LOG_LEVEL|RATE_LIMIT_|CORS_ORIGINS)/;
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !configKeys.test(k)) env[k] = v;
  Object.assign(env, {
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(opts.poolSize),
    JWT_SECRET: randomBytes(36).toString('base64url'),
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    LOG_LEVEL: 'silent',
    // All bench devices share one address and 20 users: the per-minute limits would refuse most pushes.
    RATE_LIMIT_LOGIN_PER_MIN: '100000',
    RATE_LIMIT_PUSH_PER_MIN: '10000000',
    RATE_LIMIT_READ_PER_MIN: '10000000',
  });
  if (kafka) Object.assign(env, { KAFKA_BROKERS: kafka.brokers, KAFKA_TOPIC_PREFIX: kafka.prefix });
  return env;
}

async function startServerUnderTest(env: Record<string, string>): Promise<ServerHandle> {
  if (opts.server === 'inprocess') {
    const { loadConfig, startServer } = await import('../../sync-server/src/index');
    const server = await startServer(loadConfig(env));
    return { url: server.url, pid: process.pid, stop: () => server.stop() };
  }
  const child: ChildProcess = fork(path.join(HERE, 'server-process.ts'), [], {
    env,
    execArgv: ['--import', 'tsx', ...opts.serverNodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (msg: { type: string; url?: string; message?: string }) => {
      if (msg.type === 'ready' && msg.url) resolve(msg.url);
      else reject(new Error(`server failed to start: ${msg.message ?? JSON.stringify(msg)}`));
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code} before it was ready`)));
  });
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop');
      const timeout = sleep(15_000).then(() => 'timeout' as const);
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

// ---------------------------------------------------------------- HTTP client

const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(opts.concurrency, 4) });

function post(url: string, body: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('push timed out after 120 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------- setup

interface Fixture {
  storeIds: string[];
  productIds: string[];
  /** Access token for store index i: tokens[Math.floor(i / storesPerUser)]. */
  tokens: string[];
  benchUserId: string;
}

async function setUp(sql: pg.Pool, url: string): Promise<Fixture> {
  const { stores, products, storesPerUser } = opts;
  const t0 = performance.now();
  await sql.query(`CREATE TABLE bench_store_map (n int PRIMARY KEY, id uuid NOT NULL UNIQUE)`);
  await sql.query(`CREATE TABLE bench_product_map (n int PRIMARY KEY, id uuid NOT NULL UNIQUE)`);
  await sql.query(`INSERT INTO bench_store_map SELECT g, gen_random_uuid() FROM generate_series(1, $1::int) g`, [stores]);
  await sql.query(`INSERT INTO bench_product_map SELECT g, gen_random_uuid() FROM generate_series(1, $1::int) g`, [products]);
  await sql.query(`INSERT INTO stores (id, name, city) SELECT id, 'Bench Store ' || n, 'Lahore' FROM bench_store_map ORDER BY n`);
  await sql.query(
    `INSERT INTO products (id, sku, name_en, name_ur, category, unit, default_price)
     SELECT id, 'BENCH-' || lpad(n::text, 5, '0'), 'Bench product ' || n, 'آزمائشی ' || n, 'bench', 'piece', $1
       FROM bench_product_map ORDER BY n`,
    [UNIT_PRICE],
  );

  // Users: one shopkeeper per `storesPerUser` stores, one scrypt hash for all of them.
  const hash = await hashPassword(PASSWORD);
  const userCount = Math.ceil(stores / storesPerUser);
  await sql.query(
    `INSERT INTO users (username, password_hash, role, display_name)
     SELECT 'bench-shop-' || g, $1, 'shopkeeper', 'Bench shopkeeper ' || g FROM generate_series(1, $2::int) g`,
    [hash, userCount],
  );
  await sql.query(
    `INSERT INTO user_stores (user_id, store_id)
     SELECT u.id, m.id FROM bench_store_map m
       JOIN users u ON u.username = 'bench-shop-' || ((m.n - 1) / $1::int + 1)`,
    [storesPerUser],
  );
  const { rows: admin } = await sql.query<{ id: string }>(
    `INSERT INTO users (username, password_hash, role) VALUES ('bench-setup', $1, 'admin') RETURNING id`,
    [hash],
  );
  const benchUserId = admin[0]!.id;

  // Opening stock: one adjustment per store with a movement per product, so
  // every stock row is backed by movements (version = movement count).
  await sql.query(
    `INSERT INTO operations (id, store_id, device_id, user_id, type, payload, status, created_at)
     SELECT gen_random_uuid(), m.id, 'bench-setup', $1, 'adjustment',
            jsonb_build_object('type', 'adjustment', 'storeId', m.id, 'reason', 'correction', 'note', 'bench opening stock'),
            'applied', now()
       FROM bench_store_map m`,
    [benchUserId],
  );
  await sql.query(
    `INSERT INTO movements (operation_id, line_no, store_id, product_id, type, reason, delta, resulting_quantity,
                            resulting_version, device_id, user_id, client_time)
     SELECT o.id, p.n - 1, o.store_id, p.id, 'adjustment', 'correction', $1, $1, 1, 'bench-setup', $2, now()
       FROM operations o CROSS JOIN bench_product_map p
      WHERE o.device_id = 'bench-setup'`,
    [OPENING_QUANTITY, benchUserId],
  );
  await sql.query(
    `INSERT INTO stock (store_id, product_id, quantity, version)
     SELECT s.id, p.id, $1, 1 FROM bench_store_map s CROSS JOIN bench_product_map p`,
    [OPENING_QUANTITY],
  );
  if (opts.setupSql) {
    await sql.query(readFileSync(path.resolve(opts.setupSql), 'utf8'));
    log(`ran SETUP_SQL ${opts.setupSql}`);
  }
  await sql.query('VACUUM ANALYZE');
  const { rows: ids } = await sql.query<{ stores: string[]; products: string[] }>(
    `SELECT (SELECT array_agg(id::text ORDER BY n) FROM bench_store_map) AS stores,
            (SELECT array_agg(id::text ORDER BY n) FROM bench_product_map) AS products`,
  );
  log(`setup: ${fmt(stores)} stores, ${fmt(products)} products, ${fmt(stores * products)} stock rows in ${secs(performance.now() - t0)}`);

  // Logins go through the real endpoint; scrypt is CPU bound, so two at a time on two cores.
  const t1 = performance.now();
  const tokens = await mapLimit(
    Array.from({ length: userCount }, (_, i) => i + 1),
    2,
    async (n) => {
      const res = await post(`${url}/api/auth/login`, JSON.stringify({ username: `bench-shop-${n}`, password: PASSWORD, deviceId: `bench-login-${n}` }));
      if (res.status !== 200) throw new Error(`login of bench-shop-${n} failed: ${res.status} ${res.body}`);
      return (JSON.parse(res.body) as { accessToken: string }).accessToken;
    },
  );
  log(`logins: ${userCount} shopkeepers (one per ${storesPerUser} stores, shared password hash) in ${secs(performance.now() - t1)}`);
  return { storeIds: ids[0]!.stores, productIds: ids[0]!.products, tokens, benchUserId };
}

// ---------------------------------------------------------------- the run

interface RunResult {
  wallMs: number;
  latencies: Float64Array;
  pushes: number;
  failures: string[];
  retries: number;
  /** Units sold per cell, store-major; only pushes that succeeded count. */
  sold: Float64Array;
  /** Lines per cell. */
  moves: Uint32Array;
  backlogAtEnd: number;
}

function buildBatch(storeIndex: number, fx: Fixture, sold: Float64Array, moves: Uint32Array): { body: string; apply(): void } {
  const storeId = fx.storeIds[storeIndex]!;
  const deviceId = `bench-device-${storeIndex + 1}`;
  const rows: object[] = [];
  const touched: [number, number][] = [];
  for (let o = 0; o < opts.opsPerBatch; o++) {
    const picked = new Set<number>();
    const lines: { productId: string; quantity: number; unitPrice: number }[] = [];
    while (lines.length < opts.linesPerSale) {
      const p = Math.floor(Math.random() * opts.products);
      if (picked.has(p)) continue;
      picked.add(p);
      const quantity = 1 + Math.floor(Math.random() * 3);
      lines.push({ productId: fx.productIds[p]!, quantity, unitPrice: UNIT_PRICE });
      touched.push([storeIndex * opts.products + p, quantity]);
    }
    rows.push({
      newDocumentState: {
        id: randomUUID(),
        storeId,
        deviceId,
        createdAt: new Date().toISOString(),
        type: 'sale',
        lines,
        payment: { method: 'cash' },
      },
      assumedMasterState: null,
    });
  }
  return {
    body: JSON.stringify(rows),
    apply() {
      for (const [cell, q] of touched) {
        sold[cell]! += q;
        moves[cell]! += 1;
      }
    },
  };
}

async function run(url: string, fx: Fixture, sql: pg.Pool): Promise<RunResult> {
  const { stores, batchesPerStore, concurrency, products } = opts;
  const total = stores * batchesPerStore;
  const latencies = new Float64Array(total);
  const sold = new Float64Array(stores * products);
  const moves = new Uint32Array(stores * products);
  const remaining = new Int32Array(stores).fill(batchesPerStore);
  const failures: string[] = [];
  let pushes = 0;
  let retries = 0;
  let lastReport = performance.now();

  // Round robin over the stores: a store is queued only while its device has
  // no push in flight, so each device pushes its batches one after another.
  const queue: number[] = Array.from({ length: stores }, (_, i) => i);
  let head = 0;

  const t0 = performance.now();
  async function worker(): Promise<void> {
    while (head < queue.length) {
      const s = queue[head++]!;
      const batch = buildBatch(s, fx, sold, moves);
      const token = fx.tokens[Math.floor(s / opts.storesPerUser)]!;
      const started = performance.now();
      let ok = false;
      for (let attempt = 1; attempt <= 4 && !ok; attempt++) {
        try {
          const res = await post(`${url}/api/sync/operations/push`, batch.body, token);
          if (res.status === 200 && res.body === '[]') ok = true;
          else if (res.status >= 500 && attempt < 4) retries++;
          else {
            failures.push(`store ${s + 1}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
            break;
          }
        } catch (err) {
          if (attempt < 4) retries++;
          else failures.push(`store ${s + 1}: ${(err as Error).message}`);
        }
        if (!ok && attempt < 4) await sleep(100 * attempt);
      }
      latencies[pushes++] = performance.now() - started;
      if (ok) batch.apply();
      if (failures.length > 20) throw new Error(`too many failed pushes:\n  ${failures.join('\n  ')}`);
      if (--remaining[s]! > 0) queue.push(s);
      const now = performance.now();
      if (now - lastReport > 5000) {
        lastReport = now;
        log(`  ${fmt(pushes)}/${fmt(total)} pushes, ${fmt((pushes * opts.opsPerBatch) / ((now - t0) / 1000))} ops/s so far`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, stores) }, () => worker()));
  const wallMs = performance.now() - t0;
  return { wallMs, latencies: latencies.slice(0, pushes), pushes, failures, retries, sold, moves, backlogAtEnd: await unpublished(sql) };
}

/**
 * Pushes at a fixed rate, whatever the server answers: batch k is due at
 * k / rate seconds, and its latency counts from then, so queueing in front of
 * a slow server shows in the figures. Stores take turns; the same arrays as
 * the closed-loop run record what was sold, so `verify` checks both phases.
 */
async function runOpenLoop(url: string, fx: Fixture, r: RunResult, opsPerSecond: number): Promise<OpenLoopResult> {
  const batchesPerSecond = opsPerSecond / opts.opsPerBatch;
  const total = Math.max(1, Math.round(batchesPerSecond * opts.openLoopSeconds));
  const latencies = new Float64Array(total);
  const failures: string[] = [];
  let done = 0;
  let lastSent = 0;
  const t0 = performance.now() + 100;
  const inFlight = new Set<Promise<void>>();
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / batchesPerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const s = k % opts.stores;
    const batch = buildBatch(s, fx, r.sold, r.moves);
    const token = fx.tokens[Math.floor(s / opts.storesPerUser)]!;
    const p = post(`${url}/api/sync/operations/push`, batch.body, token)
      .then(
        (res) => {
          if (res.status === 200 && res.body === '[]') batch.apply();
          else failures.push(`store ${s + 1}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
        },
        (err: Error) => void failures.push(`store ${s + 1}: ${err.message}`),
      )
      .finally(() => {
        latencies[done++] = performance.now() - due;
        lastSent = performance.now();
        inFlight.delete(p);
      });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { rate: opsPerSecond, pushes: total, latencies: latencies.slice(0, done).sort(), failures, wallMs: lastSent - t0, lastAnswerAt: lastSent };
}

interface OpenLoopResult {
  rate: number;
  pushes: number;
  latencies: Float64Array;
  failures: string[];
  wallMs: number;
  lastAnswerAt: number;
}

interface TableWrites {
  table: string;
  inserted: number;
  updated: number;
  hotUpdated: number;
  indexes: number;
}

/** What PostgreSQL's statistics say each table had written to it so far, and how many indexes it keeps. */
async function tableWrites(sql: pg.Pool): Promise<Map<string, TableWrites>> {
  const { rows } = await sql.query<TableWrites>(
    `SELECT t.relname AS "table", t.n_tup_ins::float8 AS inserted, t.n_tup_upd::float8 AS updated, t.n_tup_hot_upd::float8 AS "hotUpdated",
            (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid)::int AS indexes
       FROM pg_stat_user_tables t`,
  );
  return new Map(rows.map((row) => [row.table, row]));
}

/**
 * Rows and index entries written per sale between two snapshots: an insert
 * writes one entry in every index of its table, an update that is not HOT
 * too. Statistics reach the view when a backend flushes them (at most 10 s
 * idle, and at exit), so the second snapshot is taken once the server is gone.
 */
function writesPerSale(before: Map<string, TableWrites>, after: Map<string, TableWrites>, sales: number) {
  const tables = [...after.values()]
    .map((a) => {
      const b = before.get(a.table);
      const inserted = a.inserted - (b?.inserted ?? 0);
      const updated = a.updated - (b?.updated ?? 0);
      const hot = a.hotUpdated - (b?.hotUpdated ?? 0);
      return { table: a.table, rows: (inserted + updated) / sales, entries: ((inserted + updated - hot) * a.indexes) / sales };
    })
    .filter((t) => t.rows > 0.001 && !t.table.startsWith('bench_'))
    .sort((x, y) => y.entries - x.entries);
  return {
    rows: tables.reduce((n, t) => n + t.rows, 0),
    entries: tables.reduce((n, t) => n + t.entries, 0),
    tables,
  };
}

async function waitForDrain(sql: pg.Pool): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const waiting = await unpublished(sql);
    if (waiting === 0) return performance.now() - t0;
    if (performance.now() - t0 > opts.drainTimeoutSeconds * 1000) {
      throw new Error(`log not published after ${opts.drainTimeoutSeconds} s: ${waiting} operations wait`);
    }
    await sleep(50);
  }
}

/**
 * Stands in for autovacuum while pushing: statistics (and with `vacuum`, dead
 * rows) of the tables a push writes. ANALYZE also invalidates cached plans,
 * foreign-key checks included.
 */
function startMaintenance(sql: pg.Pool): { stop(): Promise<{ runs: number; ms: number }> } {
  if (opts.maintenance === 'off') return { stop: async () => ({ runs: 0, ms: 0 }) };
  let stopped = false;
  let runs = 0;
  let ms = 0;
  const statement =
    opts.maintenance === 'vacuum'
      ? 'VACUUM (ANALYZE) operations, movements, stock'
      : 'ANALYZE operations, movements, stock';
  const loop = (async () => {
    // The first pass comes early: the pool's first pushes plan against empty tables.
    let wait = Math.min(2000, opts.maintenanceSeconds * 1000);
    while (!stopped) {
      const until = performance.now() + wait;
      while (!stopped && performance.now() < until) await sleep(100);
      if (stopped) break;
      const t0 = performance.now();
      await sql.query(statement).catch((err) => log(`maintenance failed: ${String(err)}`));
      ms += performance.now() - t0;
      runs++;
      wait = opts.maintenanceSeconds * 1000;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { runs, ms };
    },
  };
}

// ---------------------------------------------------------------- verification

interface Verdict {
  ok: boolean;
  problems: string[];
  operations: number;
  movements: number;
}

async function verify(sql: pg.Pool, r: RunResult): Promise<Verdict> {
  const problems: string[] = [];
  const sentOps = r.pushes * opts.opsPerBatch;
  const sentLines = sentOps * opts.linesPerSale;
  const { rows } = await sql.query<Record<string, number>>(
    // The bench's own stores only: with --workers a probe store sells beside them.
    `SELECT (SELECT count(*) FROM operations WHERE type = 'sale' AND store_id IN (SELECT id FROM bench_store_map))::int AS ops,
            (SELECT count(*) FROM operations WHERE type = 'sale' AND status = 'applied' AND NOT discrepancy
                AND store_id IN (SELECT id FROM bench_store_map))::int AS applied,
            (SELECT count(*) FROM movements WHERE type = 'sale' AND store_id IN (SELECT id FROM bench_store_map))::int AS movements`,
  );
  const c = rows[0]!;
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push(`${what}: ${fmt(actual)} in the database, ${fmt(expected)} sent`);
  };
  if (r.failures.length > 0) problems.push(`${r.failures.length} pushes failed: ${r.failures.slice(0, 3).join('; ')}`);
  expect('sale operations', c.ops!, sentOps);
  expect('applied sale operations without discrepancy', c.applied!, sentOps);
  expect('sale movements', c.movements!, sentLines);
  expect('operations whose events were not published', await unpublished(sql), 0);

  // Stock per cell against what this client sold, and against the movements.
  const { rows: cells } = await sql.query<{ s: number; p: number; q: string; v: number }>(
    `SELECT sm.n AS s, pm.n AS p, (st.quantity * 1000)::bigint::text AS q, st.version AS v
       FROM stock st JOIN bench_store_map sm ON sm.id = st.store_id JOIN bench_product_map pm ON pm.id = st.product_id`,
  );
  let wrong = 0;
  let expectedSum = 0;
  let actualSum = 0;
  for (const cell of cells) {
    const i = (cell.s - 1) * opts.products + (cell.p - 1);
    const expectedQ = (OPENING_QUANTITY - r.sold[i]!) * 1000;
    expectedSum += expectedQ;
    actualSum += Number(cell.q);
    if (Number(cell.q) !== expectedQ || cell.v !== 1 + r.moves[i]!) wrong++;
  }
  if (cells.length !== opts.stores * opts.products) problems.push(`stock rows: ${cells.length}, expected ${opts.stores * opts.products}`);
  if (wrong > 0) problems.push(`${fmt(wrong)} stock cells differ from what was sold (quantity or version)`);
  if (expectedSum !== actualSum) problems.push(`stock sum ${fmt(actualSum / 1000, 3)}, expected ${fmt(expectedSum / 1000, 3)}`);
  const { rows: ledger } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM stock s JOIN bench_store_map b ON b.id = s.store_id
       LEFT JOIN (SELECT store_id, product_id, sum(delta) AS d, count(*) AS k, max(resulting_version) AS v
                    FROM movements GROUP BY store_id, product_id) m USING (store_id, product_id)
      WHERE m.d IS DISTINCT FROM s.quantity OR m.k IS DISTINCT FROM s.version::bigint OR m.v IS DISTINCT FROM s.version`,
  );
  if (ledger[0]!.n > 0) problems.push(`${fmt(ledger[0]!.n)} stock rows disagree with the sum of their movements`);
  return { ok: problems.length === 0, problems, operations: c.ops!, movements: c.movements! };
}

// ---------------------------------------------------------------- pgbench baseline

interface PgbenchResult {
  tps: number;
  latencyMs: number;
  failed: number;
  output: string;
}

async function runPgbench(databaseUrl: string, userId: string): Promise<PgbenchResult> {
  const u = new URL(databaseUrl);
  const args = [
    '-n',
    '-M', 'extended',
    '-c', String(opts.pgbenchClients),
    '-j', String(Math.min(opts.pgbenchThreads, opts.pgbenchClients)),
    '-T', String(opts.pgbenchSeconds),
    '-f', path.join(HERE, 'push-batch.sql'),
    '-D', `stores=${opts.stores}`,
    '-D', `products=${opts.products}`,
    '-D', `ops=${opts.opsPerBatch}`,
    '-D', `lines=${opts.linesPerSale}`,
    '-D', `user=${userId}`,
    '-h', u.hostname,
    '-p', u.port || '5432',
    '-U', decodeURIComponent(u.username || 'postgres'),
    u.pathname.slice(1),
  ];
  const child = spawn('/usr/bin/pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  if (code !== 0 || !Number.isFinite(tps)) throw new Error(`pgbench failed (exit ${code}):\n${out}`);
  return { tps, latencyMs, failed, output: out };
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const useKafka =
    opts.kafka === 'auto' ? await canConnect(opts.kafkaBrokers.split(',')[0]!) : ['yes', 'true', '1'].includes(opts.kafka);
  if (useKafka && !(await canConnect(opts.kafkaBrokers.split(',')[0]!))) throw new Error(`KAFKA=yes but nothing answers at ${opts.kafkaBrokers}`);
  const kafkaPrefix = `bench-${randomBytes(4).toString('hex')}.`;
  const header =
    `bench:sync  stores=${opts.stores} ops/batch=${opts.opsPerBatch} batches/store=${opts.batchesPerStore} ` +
    `lines/sale=${opts.linesPerSale} concurrency=${opts.concurrency} products=${opts.products} kafka=${useKafka ? 'yes' : 'no'}`;
  log(header);
  log(
    `events: ${useKafka ? `Kafka at ${opts.kafkaBrokers}, topics ${kafkaPrefix}*` : 'in process (no Kafka)'}; ` +
      `server: ${opts.server === 'child' ? 'own Node process' : 'in this process'}, pool ${opts.poolSize}; host: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`,
  );

  let database: TestDatabase | null = null;
  let server: ServerHandle | null = null;
  let sql: pg.Pool | null = null;
  const cleanup = async () => {
    await server?.stop().catch((err) => log(`stopping the server failed: ${String(err)}`));
    server = null;
    await sql?.end().catch(() => {});
    sql = null;
    agent.destroy();
    if (opts.keepDatabase && database) log(`database kept: ${database.url}`);
    else await database?.drop().catch((err) => log(`dropping the database failed: ${String(err)}`));
    database = null;
    if (useKafka) await deleteTopics(kafkaPrefix).catch((err) => log(`deleting bench topics failed: ${String(err)}`));
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    database = await createTestDatabase();
    const dbName = new URL(database.url).pathname.slice(1);
    server = await startServerUnderTest(serverEnv(database.url, useKafka ? { brokers: opts.kafkaBrokers, prefix: kafkaPrefix } : null));
    const serverPid = server.pid;
    sql = new pg.Pool({ connectionString: database.url, max: 4 });
    const fx = await setUp(sql, server.url);
    const { rows: av } = await sql.query<{ autovacuum: string }>('SHOW autovacuum');
    log(`server autovacuum: ${av[0]!.autovacuum}; bench maintenance while pushing: ${opts.maintenance}${opts.maintenance === 'off' ? '' : ` every ${opts.maintenanceSeconds} s`}`);

    // Statistics of the setup's inserts reach the view within 10 s of their backend going idle.
    await sleep(11_000);
    const writesBefore = await tableWrites(sql);
    await sql.query('CHECKPOINT');
    const cpu = new CpuSampler(dbName, () => serverPid);
    log(`pushing ${fmt(opts.stores * opts.batchesPerStore)} batches (${fmt(opts.stores * opts.batchesPerStore * opts.opsPerBatch)} sales) ...`);
    if (opts.workers && !useKafka) throw new Error('WORKERS needs Kafka (the workers consume the bench topics)');
    const probe = opts.workers
      ? await startLatencyProbe({ sql, databaseUrl: database.url, url: server.url, brokers: opts.kafkaBrokers.split(','), prefix: kafkaPrefix })
      : null;
    const maintenance = startMaintenance(sql);
    cpu.start();
    const result = await run(server.url, fx, sql);
    const runCpu = cpu.stop();
    const upkeep = await maintenance.stop();
    if (upkeep.runs > 0) log(`maintenance (${opts.maintenance}) ran ${upkeep.runs} times during the pushes, ${secs(upkeep.ms)} in all`);
    log(`push phase: ${secs(result.wallMs)}, ${fmt(result.backlogAtEnd)} operations unpublished at the last push; ${result.retries} retries`);
    log(`  CPU cores used while pushing: ${cpuLine(runCpu)}`);

    cpu.start();
    const drainMs = await waitForDrain(sql);
    const drainCpu = cpu.stop();
    log(`log published in ${secs(drainMs)}; CPU: ${cpuLine(drainCpu)}`);
    const latency: LatencyFigures | null = probe ? await probe.stop() : null;

    const capacity = (result.pushes * opts.opsPerBatch) / (result.wallMs / 1000);
    let open: (OpenLoopResult & { drainMs: number }) | null = null;
    if (opts.openLoopSeconds > 0) {
      const rate = opts.openLoopRate || Math.max(opts.opsPerBatch, Math.round(capacity / 2));
      log(`open loop: ${fmt(rate)} operations/s for ${opts.openLoopSeconds} s ...`);
      const o = await runOpenLoop(server.url, fx, result, rate);
      open = { ...o, drainMs: await waitForDrain(sql) };
    }

    const verdict = await verify(sql, open ? { ...result, pushes: result.pushes + open.pushes, failures: [...result.failures, ...open.failures] } : result);
    for (const p of verdict.problems) log(`MISMATCH: ${p}`);

    // The baseline runs on the same database after the server is gone, so its
    // relay neither competes for CPU nor publishes pgbench's operations.
    await server.stop();
    server = null;
    const writes = writesPerSale(writesBefore, await tableWrites(sql), (result.pushes + (open?.pushes ?? 0)) * opts.opsPerBatch);
    let bench: PgbenchResult | null = null;
    let pgbenchCpu: ReturnType<CpuSampler['stop']> | null = null;
    let pgbenchError: string | null = null;
    if (!opts.skipPgbench) {
      await sql.query('CHECKPOINT');
      log(`pgbench: ${opts.pgbenchClients} clients, ${Math.min(opts.pgbenchThreads, opts.pgbenchClients)} threads, ${opts.pgbenchSeconds} s, infra/bench/push-batch.sql ...`);
      cpu.start();
      try {
        bench = await runPgbench(database.url, fx.benchUserId);
      } catch (err) {
        pgbenchError = (err as Error).message;
        log(pgbenchError);
      }
      pgbenchCpu = cpu.stop();
      if (bench) log(`  pgbench latency average ${bench.latencyMs.toFixed(1)} ms, failed transactions ${bench.failed}; CPU: ${cpuLine(pgbenchCpu)}`);
    }

    const sorted = result.latencies.slice().sort();
    const opsPerSecond = capacity;
    const pgOps = bench ? bench.tps * opts.opsPerBatch : NaN;
    const lines = [
      '',
      header,
      `  applied operations/s   ${fmt(opsPerSecond)}  (${fmt(result.pushes)} pushes in ${secs(result.wallMs)})`,
      `  push latency p50       ${percentile(sorted, 50).toFixed(1)} ms`,
      `  push latency p99       ${percentile(sorted, 99).toFixed(1)} ms  (max ${percentile(sorted, 100).toFixed(1)} ms)`,
      `  log published in      ${secs(drainMs)} after the last push (${fmt(result.backlogAtEnd)} operations were still waiting)`,
      bench
        ? `  pgbench same SQL       ${fmt(pgOps)} ops/s (${fmt(bench.tps)} tps × ${opts.opsPerBatch}, ${opts.pgbenchClients} clients)`
        : `  pgbench same SQL       ${opts.skipPgbench ? 'skipped' : 'FAILED'}`,
      `  ratio ours/pgbench     ${bench ? (opsPerSecond / pgOps).toFixed(2) : 'n/a'}`,
      ...(open
        ? [
            `  open loop              ${fmt(open.rate)} ops/s offered for ${opts.openLoopSeconds} s (${fmt(open.pushes)} pushes, ${open.failures.length} failed)`,
            `    latency p50 / p99    ${percentile(open.latencies, 50).toFixed(1)} / ${percentile(open.latencies, 99).toFixed(1)} ms from each push's due time (max ${percentile(open.latencies, 100).toFixed(1)} ms)`,
            `    log published in    ${secs(open.drainMs)} after the last answer`,
          ]
        : []),
      `  written per sale       ${writes.rows.toFixed(1)} rows, ${writes.entries.toFixed(1)} index entries (${writes.tables.map((t) => `${t.table} ${t.rows.toFixed(2)}/${t.entries.toFixed(1)}`).join(', ')})`,
      `  correctness            ${verdict.ok ? 'OK' : 'MISMATCH'} (${fmt(verdict.operations, 0).replace(/,/g, '')} operations, ${fmt(verdict.movements, 0).replace(/,/g, '')} movements)`,
      ...(latency ? latencyLines(latency) : []),
      `  users                  ${fx.tokens.length} shopkeepers, one per ${opts.storesPerUser} stores (one shared scrypt hash, ${fx.tokens.length} logins)`,
      `  CPU while pushing      ${cpuLine(runCpu)}`,
      ...(pgbenchCpu ? [`  CPU during pgbench     ${cpuLine(pgbenchCpu)}`] : []),
      '',
    ];
    console.log(lines.join('\n'));
    return verdict.ok && !pgbenchError ? 0 : 1;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A pushed sale to its report row and to its alert, through Kafka and the workers, while the bench pushed. */
function latencyLines(l: LatencyFigures): string[] {
  const line = (what: string, ms: number[]) => {
    const sorted = Float64Array.from(ms).sort();
    return `  ${what} p50 ${(percentile(sorted, 50) / 1000).toFixed(2)} s, p99 ${(percentile(sorted, 99) / 1000).toFixed(2)} s (max ${(percentile(sorted, 100) / 1000).toFixed(2)} s)`;
  };
  return [
    line('sale → report row     ', l.report),
    line('sale → its alert      ', l.alert),
    `  probe sales            ${l.probes} (one every 250 ms while pushing), ${l.unseen} not seen within 2 min of the end`,
  ];
}

async function deleteTopics(prefix: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'bazaar-bench', brokers: opts.kafkaBrokers.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 3000 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    const mine = Object.values(topics)
      .map((t) => prefix + t)
      .filter((t) => existing.includes(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
