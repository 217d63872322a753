/**
 * `npm run bench:web`: the shop app with a large catalog, in headless
 * Chromium against the real server on PostgreSQL.
 *
 * Prints, each beside a baseline measured in the same run and browser:
 *   - first sync of PRODUCTS products and their stock (sign-in to the last
 *     product on screen with its stock), against downloading the same pages
 *     with plain fetch (no storage, no UI), and against downloading them and
 *     putting each page in IndexedDB in one transaction (no RxDB, no UI);
 *   - search (typing a SKU until its row is on screen), p50/p95, against the
 *     same match run over a plain array of the products in the page;
 *   - recording a sale offline (tap to confirmation), p50/p95, against one
 *     plain IndexedDB write of the same document;
 *   - cold start of the app (navigation to the sell screen usable, from the
 *     service worker's cache and IndexedDB) with the CPU throttled
 *     CPU_THROTTLE times, against the same start unthrottled;
 *   - a phone holding HISTORY sales (SPEC.md P7, P8): recording a sale
 *     offline, the operations and sync records held, the page's heap after
 *     a garbage collection and the origin's storage, before and after the
 *     phone drops those the server received more than 35 days before the
 *     newest (all but HISTORY_KEPT of them), and how long dropping took.
 *
 * A benchmark, not a test: it prints figures and fails only when a phase
 * fails. Needs PostgreSQL (npm test's services); builds the web app first.
 *
 *   npm run bench:web
 *   PRODUCTS=5000 SEARCHES=30 SALES=20 CPU_THROTTLE=6 npm run bench:web
 *   HISTORY=70000 HISTORY_KEPT=7000 npm run bench:web   # a year of a busy counter
 *   SALE_PROFILE=/tmp/sales.cpuprofile npm run bench:web   # and a CPU profile of the sales
 *   SYNC_PROFILE=/tmp/sync.cpuprofile npm run bench:web    # and one of the first sync
 *   TRIM_PROFILE=/tmp/trim.cpuprofile npm run bench:web    # and one of the start that drops a long history
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chromium, type Page } from '@playwright/test';
import pg from 'pg';
import { DEVICE_PULL_LIMIT } from '@bazaar/shared';
import { loadConfig, startServer } from '../../sync-server/src/index';
import { pushOperations } from '../../sync-server/src/sync/push-service';
import { demoId, demoStores } from '../../sync-server/src/seed/seed-demo';
import { createTestDatabase } from '../../sync-server/test/services';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PRODUCTS = env('PRODUCTS', 20_000);
const SEARCHES = env('SEARCHES', 40);
const SALES = env('SALES', 30);
const CPU_THROTTLE = env('CPU_THROTTLE', 4);
const COLD_STARTS = env('COLD_STARTS', 3);
/** Cash sales in the store's history on the phone (0: skip the phase); of them, received within the horizon at the end. */
const HISTORY = env('HISTORY', 20_000);
const HISTORY_KEPT = env('HISTORY_KEPT', 7_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A file to write a CPU profile of the offline sales phase to (.cpuprofile), for finding where a sale's time goes. */
const SALE_PROFILE = process.env.SALE_PROFILE;
/** The same, of the first sync. */
const SYNC_PROFILE = process.env.SYNC_PROFILE;
/** The same, of the start that drops a long history. */
const TRIM_PROFILE = process.env.TRIM_PROFILE;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const ratio = (app: number, base: number) => (base > 0 ? `${(app / base).toFixed(1)}x` : 'n/a');

function log(message: string) {
  console.log(`[bench:web] ${message}`);
}

async function main() {
  log('building the web app');
  execSync('npm run build:web', { stdio: 'ignore' });

  const database = await createTestDatabase();
  const server = await startServer(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SEED_DEMO: 'true',
      WEB_DIST: 'web/dist',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_READ_PER_MIN: '1000000',
    }),
  );
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const store = demoStores[0].id;
    const skus = await loadCatalog(sql, server, store);
    const total = skus.length;
    log(`catalog: ${total} products with stock in ${demoStores[0].name}`);

    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
    // The moment the first product row is in the document, on the page's own clock (no round trip to this process).
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('li.product')) {
          (window as { __usableAt?: number }).__usableAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();

    // First sync, then the same pages downloaded plainly.
    const lastSku = skus.at(-1)!;
    const syncProfiler = SYNC_PROFILE ? await context.newCDPSession(page) : null;
    if (syncProfiler) {
      await syncProfiler.send('Profiler.enable');
      await syncProfiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await syncProfiler.send('Profiler.start');
    }
    const syncMs = await firstSync(page, lastSku);
    if (syncProfiler) {
      const { profile } = await syncProfiler.send('Profiler.stop');
      writeFileSync(SYNC_PROFILE!, JSON.stringify(profile));
      log(`CPU profile of the first sync: ${SYNC_PROFILE}`);
    }
    const rawMs = await rawDownload(page);
    const storedMs = await rawDownload(page, true);

    // Search: full SKUs of products spread over the catalog.
    const queries = Array.from({ length: SEARCHES }, (_, i) => skus[Math.floor(((i + 0.5) / SEARCHES) * total)]!);
    const search = await searchTimes(page, queries);
    const searchBase = await rawSearchTimes(page, queries);

    // Offline sales.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    const profiler = SALE_PROFILE ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.send('Profiler.start');
    }
    const sales = await offlineSaleTimes(page, skus.slice(0, SALES));
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      writeFileSync(SALE_PROFILE!, JSON.stringify(profile));
      log(`CPU profile of the offline sales: ${SALE_PROFILE} (open in Chrome's DevTools)`);
    }
    const saleBase = await rawIdbWrites(page, SALES);
    await context.setOffline(false);

    // The shopkeeper closes the app a little after the last sale; then cold starts from cache and IndexedDB.
    await page.waitForTimeout(3_000);
    const writes = await page.evaluate(() => performance.getEntriesByName('bazaar:snapshot-write').map((m) => m.duration.toFixed(0)));
    log(`view snapshot writes: ${writes.join(', ') || 'none'} ms`);
    const keeper = await context.newPage();
    await page.close({ runBeforeUnload: true });
    const cold = await coldStarts(keeper, 1);
    const throttled = await coldStarts(page, CPU_THROTTLE);
    const history = HISTORY > 0 ? await longHistory(sql, server, keeper, store, skus) : null;

    console.log('');
    console.log(`bench:web  ${total} products, Chromium ${browser.version()}, ${new Date().toISOString()}`);
    console.log(`  first sync (sign-in to last product with stock)  ${ms(syncMs)}   plain download of the same pages ${ms(rawMs)}   ratio ${ratio(syncMs, rawMs)}`);
    console.log(`    the same pages downloaded and each put in IndexedDB in one transaction  ${ms(storedMs)}   ratio ${ratio(syncMs, storedMs)}`);
    console.log(`  search by SKU, ${queries.length} searches     p50 ${ms(percentile(search, 50))}  p95 ${ms(percentile(search, 95))}   plain array filter p50 ${ms(percentile(searchBase, 50))}  p95 ${ms(percentile(searchBase, 95))}   ratio p50 ${ratio(percentile(search, 50), percentile(searchBase, 50))}`);
    console.log(`  offline sale, ${sales.length} sales          p50 ${ms(percentile(sales, 50))}  p95 ${ms(percentile(sales, 95))}   plain IndexedDB put p50 ${ms(percentile(saleBase, 50))}  p95 ${ms(percentile(saleBase, 95))}   ratio p50 ${ratio(percentile(sales, 50), percentile(saleBase, 50))}`);
    console.log(`  cold start to sell screen usable  CPU x${CPU_THROTTLE}: median ${ms(percentile(throttled, 50))} (${throttled.map((v) => v.toFixed(0)).join(', ')})   unthrottled median ${ms(percentile(cold, 50))}   ratio ${ratio(percentile(throttled, 50), percentile(cold, 50))}   target 2000 ms`);
    if (history) {
      const [full, trimmed] = [history.before, history.after];
      const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
      console.log(`  a phone holding ${HISTORY.toLocaleString('en')} sales (pulled in ${ms(history.pullMs)}), then dropping those past the horizon (took ${ms(history.trimMs)})`);
      console.log(`    offline sale p50 / p95          ${ms(percentile(full.sales, 50))} / ${ms(percentile(full.sales, 95))}   after ${ms(percentile(trimmed.sales, 50))} / ${ms(percentile(trimmed.sales, 95))}   ratio p95 ${ratio(percentile(full.sales, 95), percentile(trimmed.sales, 95))}`);
      console.log(`    sale while dropping, ${history.during.length} sales   p50 ${ms(percentile(history.during, 50))}  p95 ${ms(percentile(history.during, 95))}  max ${ms(Math.max(...history.during))}`);
      console.log(`    operations + sync records held  ${full.held.operations} + ${full.held.records}   after ${trimmed.held.operations} + ${trimmed.held.records}`);
      console.log(`    page heap after GC              ${mb(full.heap)}   after ${mb(trimmed.heap)}`);
      console.log(`    origin storage (estimate)       ${mb(full.storage)}   after ${mb(trimmed.storage)}`);
    }
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    await sql.end();
    await database.drop();
  }
}

/** PRODUCTS products in the catalog, each with opening stock in the store, through the same push path as devices. */
async function loadCatalog(sql: pg.Pool, server: Awaited<ReturnType<typeof startServer>>, store: string): Promise<string[]> {
  const extra = Math.max(0, PRODUCTS - (await sql.query('SELECT count(*)::int AS n FROM products')).rows[0].n);
  await sql.query(
    `INSERT INTO products (sku, barcode, name_en, name_ur, category, unit, pack_size, default_price)
     SELECT 'BENCH-' || lpad(i::text, 6, '0'), (890000000000 + i)::text, 'Bench item ' || i || ' ' || (ARRAY['rice','daal','soap','tea','oil','biscuit'])[1 + i % 6],
            'آزمائشی چیز ' || i, 'bench', 'piece', 1, 10 + i % 500
       FROM generate_series(1, $1) AS i`,
    [extra],
  );
  const { rows } = await sql.query<{ id: string; sku: string }>(
    `SELECT id, sku FROM products p WHERE NOT EXISTS (SELECT 1 FROM stock s WHERE s.store_id = $1 AND s.product_id = p.id) ORDER BY sku`,
    [store],
  );
  const owner = { id: demoId('user:owner'), role: 'owner' as const, storeIds: [store] };
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    const ops = [];
    for (let j = 0; j < chunk.length; j += 500) {
      ops.push({
        newDocumentState: {
          id: crypto.randomUUID(),
          storeId: store,
          deviceId: 'bench-setup',
          createdAt: new Date().toISOString(),
          type: 'purchase' as const,
          lines: chunk.slice(j, j + 500).map((p) => ({ productId: p.id, quantity: 1000, unitCost: 5 })),
        },
      });
    }
    await pushOperations(server.db, owner, ops);
  }
  // The last product the server sends is the last one whose stock was written.
  const last = await sql.query<{ sku: string }>(
    `SELECT p.sku FROM stock s JOIN products p ON p.id = s.product_id WHERE s.store_id = $1 ORDER BY s.txid DESC, s.product_id DESC LIMIT 1`,
    [store],
  );
  const all = (await sql.query<{ sku: string }>('SELECT sku FROM products ORDER BY sku')).rows.map((r) => r.sku);
  return [...all.filter((s) => s !== last.rows[0]!.sku), last.rows[0]!.sku];
}

async function firstSync(page: Page, lastSku: string): Promise<number> {
  await page.goto('/');
  await page.getByLabel('Username').fill('shopkeeper');
  await page.getByLabel('Password').fill('bazaar-demo');
  const started = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(lastSku);
  await page.locator(`li.product[data-sku="${lastSku}"]`).getByText('1,000 in stock').waitFor({ timeout: 600_000 });
  const elapsed = Date.now() - started;
  log(`first sync: ${ms(elapsed)}`);
  return elapsed;
}

/**
 * The same pulls the app makes (products, stock, store products, operations),
 * in pages of the same size, downloaded and parsed only; with `store`, each
 * page is also put in a plain IndexedDB store in one transaction: the floor
 * of any sync that keeps what it downloads.
 */
async function rawDownload(page: Page, store = false): Promise<number> {
  return page.evaluate(
    async ({ limit, store }) => {
      const session = JSON.parse(localStorage.getItem('bazaar.session')!) as { accessToken: string };
      const headers = { authorization: `Bearer ${session.accessToken}`, 'x-bazaar-protocol': '1' };
      const db = store
        ? await new Promise<IDBDatabase>((resolve, reject) => {
            const req = indexedDB.open(`bench-sync-${Date.now()}`, 1);
            req.onupgradeneeded = () => req.result.createObjectStore('docs', { keyPath: 'id' });
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          })
        : null;
      const started = performance.now();
      for (const collection of ['products', 'stock', 'store-products', 'operations']) {
        let checkpoint: unknown = null;
        for (;;) {
          const q = new URLSearchParams({ limit: String(limit) });
          if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
          const page = (await (await fetch(`/api/sync/${collection}/pull?${q}`, { headers })).json()) as { documents: { id: string }[]; checkpoint: unknown };
          if (db) {
            const tx = db.transaction('docs', 'readwrite');
            for (const doc of page.documents) tx.objectStore('docs').put({ ...doc, id: `${collection}:${doc.id}` });
            await new Promise((resolve, reject) => {
              tx.oncomplete = resolve;
              tx.onerror = () => reject(tx.error);
            });
          }
          checkpoint = page.checkpoint;
          if (page.documents.length < limit) break;
        }
      }
      const elapsed = performance.now() - started;
      db?.close();
      return elapsed;
    },
    { limit: DEVICE_PULL_LIMIT, store },
  );
}

/** Types each query into the search box (as React sees typing) and waits for its row on screen, timed in the page. */
async function searchTimes(page: Page, queries: string[]): Promise<number[]> {
  return page.evaluate(async (qs) => {
    const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const times: number[] = [];
    for (const q of qs) {
      const started = performance.now();
      setValue.call(input, q);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (!document.querySelector(`li.product[data-sku="${q}"]`)) await new Promise((r) => requestAnimationFrame(r));
      times.push(performance.now() - started);
    }
    return times;
  }, queries);
}

interface PhoneState {
  sales: number[];
  held: { operations: number; records: number };
  heap: number;
  storage: number;
}

/**
 * HISTORY cash sales made at another phone over the last months, pulled by
 * the phone; then "forty days pass" on the server the way e2e/history.spec.ts
 * makes them (a later operation received then, and the newest HISTORY_KEPT
 * sales with it), and the phone restarts and drops the rest.
 */
async function longHistory(sql: pg.Pool, server: Awaited<ReturnType<typeof startServer>>, page: Page, store: string, skus: string[]) {
  // The bench's own products, stocked with 1,000 each: no sale of the history takes one below zero (a flagged sale is kept whatever its age).
  const { rows: products } = await sql.query<{ id: string }>(`SELECT id FROM products WHERE sku LIKE 'BENCH-%' ORDER BY sku LIMIT 200`);
  const owner = { id: demoId('user:owner'), role: 'owner' as const, storeIds: [store] };
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < HISTORY; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, HISTORY - i) }, (_, j) => {
      const n = i + j;
      const id = crypto.randomUUID();
      ids.push(id);
      const product = products[n % products.length]!;
      // Spread over the months before today, oldest first.
      const createdAt = new Date(started - (HISTORY - n) * 6 * 60_000).toISOString();
      return { newDocumentState: { id, storeId: store, deviceId: 'bench-counter', createdAt, type: 'sale' as const, lines: [{ productId: product.id, quantity: 1, unitPrice: 20 }], payment: { method: 'cash' as const } } };
    });
    await pushOperations(server.db, owner, batch);
  }
  log(`history: ${HISTORY} sales pushed in ${Date.now() - started} ms`);

  const pullStarted = Date.now();
  await page.goto('/');
  await waitHeld(page, (held) => held.operations >= HISTORY);
  const pullMs = Date.now() - pullStarted;
  const before = await phoneState(page, skus.slice(SALES, SALES * 2));

  // Forty days pass on the server: the next operation, and the newest sales, were received then.
  const later = crypto.randomUUID();
  await pushOperations(server.db, owner, [
    { newDocumentState: { id: later, storeId: store, deviceId: 'bench-counter', createdAt: new Date().toISOString(), type: 'sale', lines: [{ productId: products[0]!.id, quantity: 1, unitPrice: 20 }], payment: { method: 'cash' } } },
  ]);
  await sql.query(`UPDATE operations SET received_at = received_at + interval '40 days' WHERE store_id = $1 AND id = ANY($2)`, [store, [later, ...ids.slice(-HISTORY_KEPT)]]);
  const trimmed = new Promise<number>((resolve) => {
    page.on('console', (message) => {
      const match = /^\[history\] dropped \d+ .* in (\d+) ms/.exec(message.text());
      if (match) {
        log(message.text());
        resolve(Number(match[1]));
      }
    });
  });
  const profiler = TRIM_PROFILE ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.send('Profiler.start');
  }
  await page.reload();
  // Selling goes on meanwhile: sales from the start until the phone has dropped its history.
  let done = false;
  void trimmed.then(() => (done = true));
  const during: number[] = [];
  for (let i = 0; !done; i++) during.push(...(await offlineSaleTimes(page, [skus[SALES * 3 + (i % SALES)]!])));
  const trimMs = await trimmed;
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(TRIM_PROFILE!, JSON.stringify(profile));
    log(`CPU profile of the start that dropped the history: ${TRIM_PROFILE}`);
  }
  const after = await phoneState(page, skus.slice(SALES * 2, SALES * 3));
  return { pullMs, trimMs, before, after, during };
}

/** What the phone holds of its operations: documents, and RxDB's sync records of them. */
function held(page: Page): Promise<{ operations: number; records: number }> {
  return page.evaluate(async () => {
    let operations = 0;
    let records = 0;
    for (const { name } of await indexedDB.databases()) {
      const meta = name?.includes('--rx-replication-meta-');
      if (!name?.startsWith('rxdb-dexie-') || !(name.endsWith('--operations') || meta)) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const count = await new Promise<number>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).count();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        if (meta) records += count;
        else operations += count;
      }
      db.close();
    }
    return { operations, records };
  });
}

async function waitHeld(page: Page, done: (state: { operations: number; records: number }) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (done(await held(page))) return;
    await page.waitForTimeout(1_000);
  }
  throw new Error('the phone did not get there in 10 minutes');
}

async function phoneState(page: Page, saleSkus: string[]): Promise<PhoneState> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.context().setOffline(true);
  const sales = await offlineSaleTimes(page, saleSkus);
  await page.context().setOffline(false);
  await page.getByRole('status', { name: 'Sync queue' }).getByText('0 pending').waitFor({ timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const storage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  return { sales, held: await held(page), heap: usedSize, storage };
}

/** The same matching over a plain array of the catalog: the floor any search UI stands on. */
async function rawSearchTimes(page: Page, queries: string[]): Promise<number[]> {
  return page.evaluate(async (qs) => {
    const session = JSON.parse(localStorage.getItem('bazaar.session')!) as { accessToken: string };
    const headers = { authorization: `Bearer ${session.accessToken}`, 'x-bazaar-protocol': '1' };
    const products: { nameEn: string; nameUr: string; sku: string; barcode: string | null }[] = [];
    let checkpoint: unknown = null;
    for (;;) {
      const q = new URLSearchParams({ limit: '2000' });
      if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
      const page = (await (await fetch(`/api/sync/products/pull?${q}`, { headers })).json()) as { documents: typeof products; checkpoint: unknown };
      products.push(...page.documents);
      checkpoint = page.checkpoint;
      if (page.documents.length < 2000) break;
    }
    products.sort((a, b) => a.nameEn.localeCompare(b.nameEn));
    return qs.map((query) => {
      const started = performance.now();
      const q = query.toLowerCase();
      const found = [];
      for (const p of products) {
        if (p.nameEn.toLowerCase().includes(q) || p.nameUr.includes(q) || p.sku.toLowerCase().includes(q) || (p.barcode ?? '').startsWith(q)) {
          if (found.push(p) >= 60) break;
        }
      }
      return performance.now() - started;
    });
  }, queries);
}

/** Adds one product to the cart (not timed), then times tap on "Record sale" to the confirmation, offline. */
async function offlineSaleTimes(page: Page, skus: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const sku of skus) {
    await page.getByRole('searchbox', { name: 'Search products' }).fill(sku);
    await page.locator(`li.product[data-sku="${sku}"] button`).click();
    times.push(
      await page.evaluate(async () => {
        const status = document.querySelector('.sale-message')!;
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Record sale')!;
        const before = status.textContent;
        const started = performance.now();
        button.click();
        while (status.textContent === before || !status.textContent?.startsWith('Sale of')) await new Promise((r) => setTimeout(r, 0));
        return performance.now() - started;
      }),
    );
    // The next sale's confirmation must be new text: clear it by starting a new cart.
  }
  return times;
}

/** One IndexedDB put of a sale-sized document per transaction, in a database of its own. */
async function rawIdbWrites(page: Page, n: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(`bench-raw-${Date.now()}`, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('ops', { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const doc = { id: crypto.randomUUID(), storeId: crypto.randomUUID(), deviceId: 'x', createdAt: new Date().toISOString(), type: 'sale', lines: [{ productId: crypto.randomUUID(), quantity: 1, unitPrice: 100 }], payment: { method: 'cash' } };
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('ops', 'readwrite');
        tx.objectStore('ops').put(doc);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      times.push(performance.now() - started);
    }
    db.close();
    return times;
  }, n);
}

/** Navigation start to the sell screen usable: the search box and the first product rows rendered. */
async function coldStarts(page: Page, throttle: number): Promise<number[]> {
  const times: number[] = [];
  const context = page.context();
  for (let i = 0; i < COLD_STARTS; i++) {
    const fresh = await context.newPage();
    const cdp = await context.newCDPSession(fresh);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await fresh.goto('/', { waitUntil: 'commit' });
    await fresh.locator('li.product').first().waitFor({ timeout: 120_000 });
    times.push(await fresh.evaluate(() => (window as { __usableAt?: number }).__usableAt ?? performance.now()));
    const marks = await fresh.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('bazaar:')).map((m) => `${m.name.slice(7)} ${m.startTime.toFixed(0)}`));
    log(`  CPU x${throttle} start ${i + 1}: ${marks.join(', ')}, usable ${times.at(-1)!.toFixed(0)} ms`);
    await fresh.close();
  }
  log(`cold starts at CPU x${throttle}: ${times.map((v) => v.toFixed(0)).join(', ')} ms`);
  return times;
}

await main();
