import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'bazaar-demo';
const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'x-bazaar-protocol': '1' });

export interface StockItem {
  productId: string;
  sku: string;
  nameEn: string;
  quantity: number;
  price: number;
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

/** Every operation the server holds for the caller's stores, pulled page by page as a device would. */
export async function serverOperations(request: APIRequestContext, token: string): Promise<{ id: string; deviceId: string; type: string; status: string }[]> {
  const all = [];
  let checkpoint: unknown = null;
  for (;;) {
    const query = new URLSearchParams({ limit: '500' });
    if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
    const res = await request.get(`/api/sync/operations/pull?${query}`, { headers: headers(token) });
    expect(res.ok()).toBe(true);
    const page = (await res.json()) as { documents: { id: string; deviceId: string; type: string; status: string }[]; checkpoint: unknown };
    all.push(...page.documents);
    if (page.documents.length < 500) return all;
    checkpoint = page.checkpoint;
  }
}

/** Products with enough stock for a test to sell from, in a stable order. */
export function sellable(stock: Map<string, StockItem>, count: number, skip = 0): StockItem[] {
  const items = [...stock.values()].filter((i) => i.quantity >= 10).sort((a, b) => a.sku.localeCompare(b.sku));
  return items.slice(skip, skip + count);
}

export async function signIn(page: Page, username: string, screenshot?: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  if (screenshot) await page.screenshot({ path: `test-results/screenshots/${screenshot}`, fullPage: true });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
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
  await page.getByRole('spinbutton', { name: `Quantity of ${item.nameEn}` }).fill(String(quantity));
}

export async function recordSale(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Record sale' }).click();
  await expect(page.getByText(/^Sale of .* recorded\.$/)).toBeVisible();
}
