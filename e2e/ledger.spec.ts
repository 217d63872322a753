import { devices, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addToCart, apiLogin, headers, openTab, pendingBadge, quantityBox, recordSale, sellable, serverStock, signIn, whenOfflineReady } from './helpers';

// The udhaar book (issue 12, SPEC.md L1-L4) on two phones that are offline
// for the whole of it: both add the same regular, one sells on credit, the
// other takes a payment; after sync both show one account and one balance.

async function device(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL: test.info().project.use.baseURL });
  return { context, page: await context.newPage() };
}

const customerRow = (page: Page, name: string) => page.locator('button.ledger-row', { hasText: name });
/** Rupees as the app writes them: whole rupees bare, paisa as two digits. */
const rupees = (amount: number) => {
  const n = Math.round(amount * 100) / 100;
  return `Rs ${n.toLocaleString('en-PK', Number.isInteger(n) ? {} : { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
};

test('two phones offline add the same customer, sell on credit and take a payment: after sync one account, the same balance on both', async ({ browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const [item] = sellable(await serverStock(request, token, storeIds[0]!), 1, 32);
  if (!item) throw new Error('no product');
  // A number of this run's own, typed two ways.
  const digits = String(Date.now()).slice(-7);
  const name = `Bilal ${digits}`;

  const counter = await device(browser);
  const tablet = await device(browser);
  await signIn(counter.page, 'shopkeeper');
  await signIn(tablet.page, 'owner', { store: 'Saddar Kiryana Store' });
  for (const { page, context } of [counter, tablet]) {
    await whenOfflineReady(page);
    await context.setOffline(true);
  }

  // The counter: the regular is added, then a credit sale is typed with the number.
  await openTab(counter.page, 'Udhaar');
  const add = counter.page.locator('form.ledger-form');
  await add.getByLabel('Name').fill(name);
  await add.getByLabel(/^Phone/).fill(`0300-${digits}`);
  // A shopkeeper is not offered the credit limit: that is the owner's.
  await expect(add.getByLabel(/Credit limit/)).toHaveCount(0);
  await add.getByRole('button', { name: 'Add customer' }).click();
  await expect(counter.page.getByText(`${name} is in the udhaar book.`)).toBeVisible();
  await openTab(counter.page, 'Sell');
  await addToCart(counter.page, item, 2);
  await counter.page.getByRole('radio', { name: 'Credit (udhaar)' }).check();
  await counter.page.getByLabel('Customer name').fill(name);
  await counter.page.getByLabel('Customer phone').fill(`0300 ${digits}`);
  await expect(counter.page.getByTestId('udhaar-known')).toHaveText('Owes Rs 0');
  await recordSale(counter.page);
  const owed = Math.round(item.price * 2 * 100) / 100;
  await expect(counter.page.getByRole('region', { name: 'Receipt' })).toContainText(`Udhaar now: ${rupees(owed)}`);
  await openTab(counter.page, 'Udhaar');
  await expect(customerRow(counter.page, name)).toContainText(`Owes ${rupees(owed)}`);

  // The tablet: the same regular added with the number written another way, a limit set, a payment taken.
  await openTab(tablet.page, 'Udhaar');
  const addOnTablet = tablet.page.locator('form.ledger-form');
  await addOnTablet.getByLabel('Name').fill(`${name} bhai`);
  await addOnTablet.getByLabel(/^Phone/).fill(`+92 300 ${digits}`);
  await addOnTablet.getByLabel(/Credit limit/).fill('5000');
  await addOnTablet.getByRole('button', { name: 'Add customer' }).click();
  await customerRow(tablet.page, `${name} bhai`).click();
  const pay = tablet.page.locator('form.ledger-form');
  // A careless amount is refused on the spot and records nothing.
  await pay.getByLabel(/Amount received/).fill('-5');
  await pay.getByRole('button', { name: 'Record payment' }).click();
  await expect(tablet.page.getByRole('alert')).toContainText('An amount was zero, negative or had more than 2 decimals.');
  await pay.getByLabel(/Amount received/).fill('50');
  await pay.getByLabel('Paid by').selectOption('easypaisa');
  await pay.getByLabel(/Transaction id/).fill('EP-77120');
  await pay.getByRole('button', { name: 'Record payment' }).click();
  await expect(tablet.page.getByText('Payment of Rs 50 recorded.')).toBeVisible();
  await expect(tablet.page.locator('.ledger-balance')).toContainText('Paid Rs 50 ahead');
  await tablet.page.screenshot({ path: 'test-results/screenshots/udhaar-customer-offline.png' });

  for (const { page, context } of [counter, tablet]) {
    await context.setOffline(false);
    await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  }
  // One account on both, named as the first phone named it, owing the sale less the payment.
  const balance = `Owes ${rupees(owed - 50)}`;
  for (const page of [counter.page, tablet.page]) {
    await openTab(page, 'Udhaar');
    const back = page.getByRole('button', { name: '← All customers' });
    if (await back.isVisible()) await back.click();
    await expect(page.locator('button.ledger-row').filter({ hasText: digits })).toHaveCount(1, { timeout: 20_000 });
    await expect(customerRow(page, name)).toContainText(balance);
  }
  await counter.page.screenshot({ path: 'test-results/screenshots/udhaar-book.png' });
  await customerRow(counter.page, name).click();
  await expect(counter.page.locator('.ledger-statement li')).toHaveCount(2);
  await expect(counter.page.getByRole('link', { name: 'Send a reminder on WhatsApp' })).toHaveAttribute('href', new RegExp(`^https://wa\\.me/92300${digits}\\?text=.*Saddar`));
  await counter.page.screenshot({ path: 'test-results/screenshots/udhaar-statement.png' });
  // The same in Urdu, right to left; the language is kept on the device, so it is set back after.
  await counter.page.getByRole('banner').getByLabel('Menu').click();
  await counter.page.getByRole('button', { name: 'Switch to Urdu' }).click();
  await expect(counter.page.getByRole('heading', { name: name, level: 2 })).toBeVisible();
  await expect(counter.page.getByText('کھاتے کی تفصیل')).toBeVisible();
  await expect(counter.page.locator('html')).toHaveAttribute('dir', 'rtl');
  await counter.page.screenshot({ path: 'test-results/screenshots/udhaar-statement-urdu.png' });
  await counter.page.getByRole('banner').getByLabel('مینو').click();
  await counter.page.getByRole('button', { name: 'انگریزی میں دیکھیں' }).click();
  // A credit sale on the statement is taken back from there: the Sell tab opens its return, off their udhaar, at its price.
  await counter.page.locator('.ledger-statement li[data-kind="credit_sale"]').getByRole('button', { name: 'Return items' }).click();
  await expect(counter.page.getByTestId('return-against')).toBeVisible();
  await expect(counter.page.getByRole('radio', { name: 'Off their udhaar' })).toBeChecked();
  await expect(counter.page.getByLabel('Customer name')).toHaveValue(name);
  await expect(quantityBox(counter.page, item)).toHaveValue('2');
  // Not taken after all: the cart is emptied and the counter goes back to selling.
  await counter.page.getByRole('button', { name: `Remove ${item.nameEn}` }).click();
  await counter.page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Sale' }).click();

  // The owner sets a limit below what is owed; the counter is warned at the next credit sale, and may still record it.
  await customerRow(tablet.page, name).click();
  const limitForm = tablet.page.locator('form.ledger-form', { has: tablet.page.getByRole('button', { name: 'Save limit' }) });
  await limitForm.getByLabel(/Credit limit/).fill('lots');
  await limitForm.getByRole('button', { name: 'Save limit' }).click();
  await expect(limitForm.getByRole('alert')).toContainText('An amount was zero, negative or had more than 2 decimals.');
  await limitForm.getByLabel(/Credit limit/).fill('100');
  await limitForm.getByRole('button', { name: 'Save limit' }).click();
  await expect(limitForm.getByText('Limit set to Rs 100.')).toBeVisible();
  await expect(pendingBadge(tablet.page)).toHaveText('0 pending', { timeout: 30_000 });
  await openTab(counter.page, 'Sell');
  await addToCart(counter.page, item, 1);
  await counter.page.getByRole('radio', { name: 'Credit (udhaar)' }).check();
  await counter.page.getByLabel('Customer name').fill(name);
  await expect(counter.page.getByText(`This takes ${name} over their limit of Rs 100. The sale can still be recorded.`)).toBeVisible({ timeout: 20_000 });
  await counter.page.screenshot({ path: 'test-results/screenshots/udhaar-over-limit.png' });
  await recordSale(counter.page);
  // The customer brings it back: refunded off the account, not from the drawer.
  await counter.page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Return' }).click();
  await addToCart(counter.page, item, 1);
  await counter.page.getByRole('radio', { name: 'Off their udhaar' }).check();
  await counter.page.getByLabel('Customer name').fill('Nobody in the book');
  await expect(counter.page.getByRole('button', { name: 'Record return' })).toBeDisabled();
  await counter.page.getByLabel('Customer name').fill(name);
  await counter.page.getByRole('button', { name: 'Record return' }).click();
  await expect(counter.page.getByRole('region', { name: 'Receipt' })).toContainText(`Udhaar now: ${rupees(owed - 50)}`);

  // The server holds the same account.
  const pulled = await request.get('/api/sync/customers/pull?limit=2000', { headers: headers(token) });
  const docs = ((await pulled.json()) as { documents: { name: string; phone: string; balance: number; mergedInto: string | null }[] }).documents.filter((d) => d.phone === `92300${digits}`);
  expect(docs).toHaveLength(2);
  expect(docs.find((d) => d.mergedInto === null)?.name).toBe(name);
  await expect(pendingBadge(counter.page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect
    .poll(async () => {
      const res = await request.get('/api/sync/customers/pull?limit=2000', { headers: headers(token) });
      const all = ((await res.json()) as { documents: { phone: string; balance: number; creditLimit: number | null; mergedInto: string | null }[] }).documents;
      return all.find((d) => d.phone === `92300${digits}` && d.mergedInto === null);
    })
    .toMatchObject({ name, balance: Math.round((owed - 50) * 100) / 100, creditLimit: 100 });
  // The day book, from the menu: the day's udhaar received by how it was paid, and the cash the day's records brought in.
  await tablet.page.getByRole('banner').getByLabel('Menu').click();
  await tablet.page.getByRole('button', { name: 'Day book' }).click();
  await expect(tablet.page.getByRole('heading', { name: 'Day book', level: 2 })).toBeVisible();
  await expect(tablet.page.getByTestId('received-easypaisa')).toContainText('Rs 50');
  await expect(tablet.page.getByTestId('sales-credit')).not.toContainText('Rs 0');
  await expect(tablet.page.getByRole('button', { name: 'Next day' })).toBeDisabled();
  await tablet.page.screenshot({ path: 'test-results/screenshots/day-book.png' });
  await tablet.page.getByRole('button', { name: 'Previous day' }).click();
  await expect(tablet.page.getByTestId('received-easypaisa')).toContainText('Rs 0');
  await counter.context.close();
  await tablet.context.close();
});
