import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@bazaar/shared';

export const DEMO_PASSWORD = 'bazaar-demo';
export const headers = (token: string) => ({ authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) });

export interface StockItem {
  productId: string;
  sku: string;
  nameEn: string;
  quantity: number;
  version: number;
  price: number;
  low: boolean;
}

/** Signs in through the API (not the page) to read what the server holds. */
export async function apiLogin(request: APIRequestContext, username: string): Promise<{ token: string; storeIds: string[] }> {
  const res = await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { accessToken: string; user: { storeIds: string[] } };
  return { token: body.accessToken, storeIds: body.user.storeIds };
}

export async function serverStock(request: APIRequestContext, token: string, storeId: string): Promise<Map<string, StockItem>> {
  const res = await request.get(`/api/stores/${storeId}/stock`, { headers: headers(token) });
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { items: StockItem[] };
  return new Map(body.items.map((item) => [item.sku, item]));
}

/** A pulled operation (protocol 7): as the device wrote it, the server's verdict in `outcome`. */
export interface ServerOperation {
  id: string;
  createdAt: string;
  deviceId: string;
  type: string;
  lines?: { productId: string }[];
  productId?: string;
  outcome: {
    status: string;
    discrepancy: boolean;
    reason: string | null;
    userId: string;
    resolution: { action: string; role?: string; replacementId: string | null } | null;
  };
}

/** Every operation the server holds for the caller's stores, pulled page by page as a device would. */
export async function serverOperations(request: APIRequestContext, token: string): Promise<ServerOperation[]> {
  const all = [];
  let checkpoint: unknown = null;
  for (;;) {
    const query = new URLSearchParams({ limit: '500' });
    if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
    const res = await request.get(`/api/sync/operations/pull?${query}`, { headers: headers(token) });
    expect(res.ok()).toBe(true);
    const page = (await res.json()) as { documents: ServerOperation[]; checkpoint: unknown };
    all.push(...page.documents);
    if (page.documents.length < 500) return all;
    checkpoint = page.checkpoint;
  }
}

/** Pushes operations through the API, as another device would; answers the conflicts. */
export async function apiPush(request: APIRequestContext, token: string, operations: object[]): Promise<unknown[]> {
  const res = await request.post('/api/sync/operations/push', {
    headers: headers(token),
    data: operations.map((op) => ({ newDocumentState: op, assumedMasterState: null })),
  });
  expect(res.ok()).toBe(true);
  return (await res.json()) as unknown[];
}

/** Sets a product's stock to exactly `quantity` with an owner's count, so a test knows what is on the shelf. */
export async function setStock(request: APIRequestContext, storeId: string, item: StockItem, quantity: number): Promise<void> {
  const { token } = await apiLogin(request, 'owner');
  const current = (await serverStock(request, token, storeId)).get(item.sku)!;
  await apiPush(request, token, [
    {
      id: randomUUID(),
      storeId,
      deviceId: 'e2e-setup',
      createdAt: new Date().toISOString(),
      type: 'count',
      lines: [{ productId: item.productId, countedQuantity: quantity, baseVersion: current.version }],
    },
  ]);
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(quantity);
}

/** Products with enough stock for a test to sell from, in a stable order. */
export function sellable(stock: Map<string, StockItem>, count: number, skip = 0): StockItem[] {
  const items = [...stock.values()].filter((i) => i.quantity >= 10).sort((a, b) => a.sku.localeCompare(b.sku));
  return items.slice(skip, skip + count);
}

/** Signs in on the page; an owner of several stores then picks `store` (by name). */
export async function signIn(page: Page, username: string, options: { screenshot?: string; store?: string } = {}): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  if (options.screenshot) await page.screenshot({ path: `test-results/screenshots/${options.screenshot}`, fullPage: true });
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (options.store) await page.getByRole('button', { name: new RegExp(options.store) }).click();
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  await expect(page.locator('li.product').first()).toBeVisible();
}

/** Whether the app's own Urdu face has loaded in the page (a font the device has is not in document.fonts). */
export function nastaliqLoaded(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    document.fonts.ready.then((fonts) => {
      const faces: FontFace[] = [];
      fonts.forEach((face) => faces.push(face));
      return faces.some((f) => f.family.includes('Noto Nastaliq Urdu') && f.status === 'loaded');
    }),
  );
}

/** Signs out through the header's menu. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
}

/** Waits until the service worker controls the page: from then on the app opens offline. */
export async function whenOfflineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

export async function openTab(page: Page, name: 'Sell' | 'Stock' | 'Udhaar' | 'Sync'): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
}

export function stockRow(page: Page, sku: string) {
  return page.locator(`li.stock-row[data-sku="${sku}"]`);
}

export function attentionBadge(page: Page) {
  return page.getByRole('status', { name: 'Needs attention' });
}

export function productRow(page: Page, sku: string) {
  return page.locator(`li.product[data-sku="${sku}"]`);
}

export function pendingBadge(page: Page) {
  return page.getByRole('status', { name: 'Sync queue' });
}

/** Finds a product by SKU, adds it, and sets its quantity in the cart. */
export async function addToCart(page: Page, item: StockItem, quantity: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
  await page.getByRole('button', { name: `Add ${item.nameEn}` }).click();
  await quantityBox(page, item).fill(String(quantity));
}

export async function recordSale(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Record sale' }).click();
  await expect(page.getByText(/^Sale of .* recorded\.$/)).toBeVisible();
}

/** A cart line's quantity box: text, so it keeps exactly what was typed. */
export function quantityBox(page: Page, item: Pick<StockItem, 'nameEn'>) {
  return page.getByRole('textbox', { name: `Quantity of ${item.nameEn}` });
}

/** Creates a user through the admin's API and answers its id. */
export async function createUser(request: APIRequestContext, user: { username: string; role: string; storeIds: string[] }): Promise<string> {
  const { token } = await apiLogin(request, 'admin');
  const res = await request.post('/api/users', { headers: headers(token), data: { ...user, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

export async function changeRole(request: APIRequestContext, userId: string, role: string): Promise<void> {
  const { token } = await apiLogin(request, 'admin');
  const res = await request.post(`/api/users/${userId}/role`, { headers: headers(token), data: { role } });
  expect(res.status()).toBe(204);
}
