import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import { addToCart, apiLogin, apiPush, openTab, pendingBadge, recordSale, sellable, serverOperations, serverStock, signIn, whenOfflineReady } from './helpers';

// The day's close (issue 12, SPEC.md C1-C3): the counter closes the day
// offline 50 short; once synced the owner's tablet shows the close and its
// difference, and the owner reviews it; a correction is kept beside it.

async function device(browser: Browser, profile: 'Pixel 7' | 'Galaxy Tab S4') {
  const context = await browser.newContext({ ...devices[profile], baseURL: test.info().project.use.baseURL });
  return { context, page: await context.newPage() };
}

async function openDayBook(page: Page) {
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Day book' }).click();
  await expect(page.getByRole('heading', { name: 'Day book', level: 2 })).toBeVisible();
}

/** Paisa of an amount as the app writes it ("Rs 12,050.50"). */
const paisaOf = (text: string) => Math.round(Number(text.replace(/[^\d.-]/g, '')) * 100);
const rupees = (paisa: number) => (paisa / 100).toFixed(2);
/** Paisa as the app writes them: whole rupees bare, paisa as two digits. */
const money = (paisa: number) => `Rs ${(paisa / 100).toLocaleString('en-PK', paisa % 100 === 0 ? {} : { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

test('the counter closes the day offline 50 short: the owner sees the difference and reviews it; a correction is kept', async ({ browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  // One with plenty on the shelf: a sale of one leaves it sellable, so later tests pick the same items.
  const item = sellable(await serverStock(request, token, storeIds[0]!), 1000).sort((a, b) => b.quantity - a.quantity || a.sku.localeCompare(b.sku)).find((i) => i.quantity >= 20);
  if (!item) throw new Error('no product');
  const counter = await device(browser, 'Pixel 7');
  await signIn(counter.page, 'shopkeeper');
  await whenOfflineReady(counter.page);
  await counter.context.setOffline(true);
  // Nothing on the day book may push the page sideways on a phone.
  const noSideways = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // A cash sale offline: the day book counts it in the cash expected.
  await openDayBook(counter.page);
  const before = paisaOf(await counter.page.getByTestId('cash-in').innerText());
  await openTab(counter.page, 'Sell');
  await addToCart(counter.page, item, 1);
  await recordSale(counter.page);
  await openDayBook(counter.page);
  await expect.poll(async () => paisaOf(await counter.page.getByTestId('cash-in').innerText())).toBe(before + Math.round(item.price * 100));

  const close = counter.page.locator('section.cash-close');
  await close.getByLabel(/Opening float/).fill('500');
  await close.getByRole('button', { name: 'Add cash paid out' }).click();
  await close.getByLabel('Amount, Rs').fill('200');
  await close.getByLabel('For what').fill('Chai for the loaders');
  const expected = paisaOf(await close.getByTestId('close-expected').innerText());
  expect(expected).toBe(50_000 + before + Math.round(item.price * 100) - 20_000);
  // Careless entries first: a minus, and a barcode pasted into the count, record nothing.
  await close.getByLabel(/Cash counted/).fill('-50');
  await expect(close.locator('.field-error')).toBeVisible();
  await close.getByRole('button', { name: 'Record the close' }).click();
  await expect(close.getByRole('alert')).toContainText('An amount was zero, negative or had more than 2 decimals.');
  await close.getByLabel(/Cash counted/).fill('8964000012345');
  await close.getByRole('button', { name: 'Record the close' }).click();
  await expect(close.getByRole('alert')).toBeVisible();
  await expect(close.getByTestId('closes')).toHaveCount(0);

  await close.getByLabel(/Cash counted/).fill(rupees(expected - 5_000));
  await expect(close.locator('.close-expected', { hasText: 'Difference' })).toContainText('Short Rs 50');
  await noSideways(counter.page);
  await counter.page.screenshot({ path: 'test-results/screenshots/cash-close-form.png', fullPage: true });
  await close.getByRole('button', { name: 'Record the close' }).click();
  await expect(close.getByText('Close recorded.')).toBeVisible();
  await expect(close.getByTestId('close-standing')).toContainText('Not synced yet');
  await expect(close.getByTestId('close-difference')).toHaveText('Short Rs 50');
  await expect(close.getByRole('button', { name: 'Record a correction' })).toBeVisible();
  await counter.context.setOffline(false);
  await expect(pendingBadge(counter.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(close.getByTestId('close-standing')).not.toContainText('Not synced yet', { timeout: 20_000 });

  // On the server: applied once and flagged.
  const closes = (await serverOperations(request, token)).filter((op) => op.type === 'cash_close');
  const recorded = closes.at(-1)!;
  expect(recorded).toMatchObject({ outcome: { status: 'applied', discrepancy: true, reason: 'cash_difference' } });

  // The owner's tablet: the close in the day book with its difference, and in the Sync tab for review.
  const tablet = await device(browser, 'Galaxy Tab S4');
  await signIn(tablet.page, 'owner', { store: 'Saddar Kiryana Store' });
  await openDayBook(tablet.page);
  const onTablet = tablet.page.locator('section.cash-close');
  await expect(onTablet.getByTestId('close-difference')).toHaveText('Short Rs 50');
  await expect(onTablet.getByTestId('close-standing')).toContainText(`Counted ${money(expected - 5_000)} of ${money(expected)} expected`);
  await expect(onTablet.getByTestId('close-changed')).toHaveCount(0);
  await tablet.page.screenshot({ path: 'test-results/screenshots/cash-close-owner.png', fullPage: true });
  await openTab(tablet.page, 'Sync');
  const review = tablet.page.locator(`.op-flagged[data-operation="${recorded.id}"]`);
  await expect(review).toContainText('The cash counted is not what the day’s records expect');
  await tablet.page.screenshot({ path: 'test-results/screenshots/cash-close-review.png', fullPage: true });
  await review.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(review).toHaveCount(0);
  await expect
    .poll(async () => (await serverOperations(request, token)).find((op) => op.id === recorded.id)?.outcome.resolution?.role, { timeout: 30_000 })
    .toBe('owner');

  // The money turns up: the owner records a correction that matches; both are kept, the correction stands.
  // It starts from the close's float and payouts: only the count is typed again.
  await openDayBook(tablet.page);
  await expect(onTablet.getByLabel(/Opening float/)).toHaveValue('500');
  await expect(onTablet.getByLabel('For what')).toHaveValue('Chai for the loaders');
  await expect(onTablet.getByTestId('close-expected')).toHaveText(money(expected));
  await onTablet.getByLabel(/Cash counted/).fill(rupees(expected));
  await onTablet.getByRole('button', { name: 'Record a correction' }).click();
  await expect(onTablet.getByTestId('closes').locator('li')).toHaveCount(2);
  await expect(onTablet.getByTestId('close-standing')).toContainText('Correction 1');
  await expect(onTablet.getByTestId('close-difference')).toHaveText('Matches');
  await expect(pendingBadge(tablet.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect(counter.page.locator('section.cash-close').getByTestId('close-difference')).toHaveText('Matches', { timeout: 30_000 });
  await counter.context.close();
  await tablet.context.close();
});

test('a return against last week’s sale, chosen in the day book, refunds at that sale’s price; taking back more is warned', async ({ browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  // Plenty on the shelf, so this leaves the items later tests pick unchanged.
  const item = sellable(await serverStock(request, token, storeId), 1000)
    .sort((a, b) => b.quantity - a.quantity || a.sku.localeCompare(b.sku))
    .filter((i) => i.quantity >= 20)[1];
  if (!item) throw new Error('no product');
  // A week ago, from another phone, at a price below today's.
  const oldPrice = Math.max(1, Math.round(item.price * 80) / 100);
  const weekAgo = new Date(Date.now() - 7 * 86_400_000);
  weekAgo.setHours(11, 0, 0, 0);
  const sale = {
    id: crypto.randomUUID(), storeId, deviceId: 'old-phone', createdAt: weekAgo.toISOString(), type: 'sale',
    lines: [{ productId: item.productId, quantity: 2, unitPrice: oldPrice }], payment: { method: 'cash' },
  };
  await apiPush(request, token, [sale]);

  const { context, page } = await device(browser, 'Pixel 7');
  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await context.setOffline(true);
  await openDayBook(page);
  for (let i = 0; i < 7; i++) await page.getByRole('button', { name: 'Previous day' }).click();
  await page.locator('details.day-sales summary').click();
  await page.locator(`li[data-sale="${sale.id}"]`).getByRole('button', { name: 'Return items' }).click();

  // The sell screen, in return mode, holds what the sale sold at the price it was sold at.
  await expect(page.getByTestId('return-against')).toContainText('Against the sale of');
  const box = page.getByRole('textbox', { name: new RegExp(`Quantity of ${item.nameEn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  await expect(box).toHaveValue('2');
  await box.fill('3');
  await expect(page.getByText('More than that sale has left to return.')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/return-against-sale.png' });
  await box.fill('1');
  await expect(page.getByText('More than that sale has left to return.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Record return' }).click();
  await expect(page.getByRole('region', { name: 'Receipt' })).toContainText(money(Math.round(oldPrice * 100)));
  await context.setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });

  const returned = (await serverOperations(request, token)).find((op) => op.type === 'return' && (op as { saleId?: string }).saleId === sale.id) as
    | (Awaited<ReturnType<typeof serverOperations>>[number] & { lines: { productId: string; quantity: number; unitPrice: number }[] })
    | undefined;
  expect(returned).toMatchObject({ outcome: { status: 'applied', discrepancy: false }, lines: [{ productId: item.productId, quantity: 1, unitPrice: oldPrice }] });
  // One of the two is left to return.
  await openDayBook(page);
  for (let i = 0; i < 7; i++) await page.getByRole('button', { name: 'Previous day' }).click();
  await page.locator('details.day-sales summary').click();
  await page.locator(`li[data-sale="${sale.id}"]`).getByRole('button', { name: 'Return items' }).click();
  await expect(box).toHaveValue('1');
  await context.close();
});
