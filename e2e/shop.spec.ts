import { expect, test } from '@playwright/test';
import { addToCart, apiLogin, openTab, pendingBadge, recordSale, sellable, serverOperations, serverStock, signIn, stockRow } from './helpers';

// The rest of a shop's day: udhaar sales with a receipt, returns, and an owner's stock work.

test('a credit sale names the customer on the receipt, and a return puts the stock back', async ({ page, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1, 30);
  if (!item) throw new Error('no product');

  await signIn(page, 'shopkeeper');
  await addToCart(page, item, 3);
  await page.getByRole('radio', { name: 'Credit (udhaar)' }).check();
  // A credit sale without a name is not recorded.
  await expect(page.getByRole('button', { name: 'Record sale' })).toBeDisabled();
  await page.getByLabel('Customer name').fill('Aslam');
  await page.getByLabel('Customer phone').fill('0300-1234567');
  await recordSale(page);
  const receipt = page.getByRole('region', { name: 'Receipt' });
  await expect(receipt).toContainText('On credit to Aslam');
  await expect(receipt).toContainText(`3 × ${item.nameEn}`);
  const share = receipt.getByRole('link', { name: 'Share on WhatsApp' });
  await expect(share).toHaveAttribute('href', /^https:\/\/wa\.me\/923001234567\?text=.*Aslam/);
  await page.screenshot({ path: 'test-results/screenshots/receipt-credit.png', fullPage: true });

  // The customer brings one back.
  await page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Return' }).click();
  await addToCart(page, item, 1);
  await page.getByRole('button', { name: 'Record return' }).click();
  await expect(page.getByText(/^Return of .* recorded\.$/)).toBeVisible();
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });

  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(item.quantity - 2);
  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  const mine = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId) as unknown as { type: string; payment?: unknown }[];
  expect(mine.map((op) => op.type).sort()).toEqual(['return', 'sale']);
  // On the account of a customer the sale made (SPEC.md L1), with what was typed kept as it was.
  expect(mine.find((op) => op.type === 'sale')?.payment).toEqual({ method: 'credit', customerId: expect.any(String), customer: { name: 'Aslam', phone: '0300-1234567' } });
});

test('an owner receives a purchase and writes off damage; bad input is refused and records nothing; a shopkeeper only sees', async ({ page, browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [item] = sellable(await serverStock(request, token, storeId), 1, 31);
  if (!item) throw new Error('no product');

  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await openTab(page, 'Stock');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
  await stockRow(page, item.sku).getByRole('button', { name: `Open ${item.nameEn}` }).click();

  const purchase = page.getByRole('form', { name: 'Receive a purchase' });
  await purchase.getByLabel('Quantity').fill('0');
  await purchase.getByLabel('Unit cost').fill('95.5');
  // Refused beside the box, and the button says why it waits.
  await expect(purchase.getByLabel('Quantity')).toHaveAccessibleDescription('Enter a quantity above zero.');
  await expect(purchase.getByRole('button', { name: 'Record purchase' })).toBeDisabled();
  await expect(purchase.getByRole('button', { name: 'Record purchase' })).toHaveAccessibleDescription(/Enter the figures above first/);
  await purchase.getByLabel('Quantity').fill('8964000123456');
  await expect(purchase.getByLabel('Quantity')).toHaveAccessibleDescription('At most 1,000,000. Was a barcode typed here?');
  await purchase.getByLabel('Unit cost').fill('-5');
  await expect(purchase.getByLabel('Unit cost')).toHaveAccessibleDescription('Zero or more, at most 2 decimals (paisa).');
  await purchase.getByLabel('Unit cost').fill('95.5');
  await page.screenshot({ path: 'test-results/screenshots/stock-purchase-refused.png' });
  await expect(pendingBadge(page)).toHaveText('0 pending');

  await purchase.getByLabel('Quantity').fill('24');
  await purchase.getByLabel('Supplier').fill('Metro');
  await purchase.getByRole('button', { name: 'Record purchase' }).click();
  await expect(purchase.getByRole('status')).toHaveText(/Recorded/);

  const adjust = page.getByRole('form', { name: 'Adjust stock' });
  await adjust.getByLabel('Change (− for less)').fill('-3');
  await adjust.getByLabel('Reason').selectOption('damage');
  await adjust.getByRole('button', { name: 'Record adjustment' }).click();
  await expect(adjust.getByRole('status')).toHaveText(/Recorded/);
  await page.screenshot({ path: 'test-results/screenshots/stock-owner-panel.png' });

  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(item.quantity + 21);
  await expect(stockRow(page, item.sku).locator('.quantity')).toHaveText(String(item.quantity + 21));

  // The shopkeeper sees the same figure and no forms.
  const phone = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const shop = await phone.newPage();
  await signIn(shop, 'shopkeeper');
  await openTab(shop, 'Stock');
  await shop.getByRole('searchbox', { name: 'Search products' }).fill(item.sku);
  await stockRow(shop, item.sku).getByRole('button', { name: `Open ${item.nameEn}` }).click();
  await expect(stockRow(shop, item.sku)).toContainText(`${item.quantity + 21} in stock`);
  await expect(shop.getByRole('form')).toHaveCount(0);
  await phone.close();
});
