import { expect, test } from '@playwright/test';
import { addToCart, apiLogin, openTab, pendingBadge, productRow, recordSale, serverOperations, serverStock, setStock, signIn, stockRow, whenOfflineReady } from './helpers';

// Cartons and loose pieces (SPEC.md R13): stock is kept in pieces, a line by
// the carton moves 24 of them at the carton's price, and the screens show both.
const SKU = 'NESCAFE-CLASSIC-50G';

test('a carton sold offline moves 24 pieces at the carton price; an owner receives cartons; the screens show cartons and pieces', async ({ page, browser, request }) => {
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const item = (await serverStock(request, token, storeId)).get(SKU);
  if (!item) throw new Error(`${SKU} is not in the demo catalog`);
  await setStock(request, storeId, item, 60);

  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'shopkeeper');
  await whenOfflineReady(page);
  await page.context().setOffline(true);
  await page.getByRole('searchbox', { name: 'Search products' }).fill(SKU);
  await expect(productRow(page, SKU)).toContainText('60 in stock');
  await expect(productRow(page, SKU).locator('.packs')).toHaveText('2 cartons + 12 pcs');

  // One carton: the box counts cartons, priced at 24 pieces.
  await addToCart(page, item, 1);
  const carton = page.getByRole('button', { name: `Sell ${item.nameEn} by the carton of 24` });
  await expect(carton).toHaveAttribute('aria-pressed', 'false');
  await carton.click();
  await expect(carton).toHaveAttribute('aria-pressed', 'true');
  const cartonPrice = Math.round(item.price * 24 * 100) / 100;
  await expect(page.locator('.cart-line .line-total')).toHaveText(`Rs ${cartonPrice.toLocaleString('en-PK')}`);
  await page.screenshot({ path: 'test-results/screenshots/pack-cart.png' });
  await recordSale(page);
  await expect(page.getByRole('region', { name: 'Receipt' })).toContainText(`1 carton (24) × ${item.nameEn}`);
  const receiptNo = /#([0-9a-f]{8})/.exec(await page.getByRole('region', { name: 'Receipt' }).innerText())![1]!;
  await expect(productRow(page, SKU)).toContainText('36 in stock');
  await expect(productRow(page, SKU).locator('.packs')).toHaveText('1 carton + 12 pcs');

  // Five loose ones: the switch is off again for a new line.
  await addToCart(page, item, 5);
  await expect(page.getByRole('button', { name: `Sell ${item.nameEn} by the carton of 24` })).toHaveAttribute('aria-pressed', 'false');
  await recordSale(page);
  await expect(productRow(page, SKU)).toContainText('31 in stock');
  await expect(productRow(page, SKU).locator('.packs')).toHaveText('1 carton + 7 pcs');

  await page.context().setOffline(false);
  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(SKU)?.quantity).toBe(31);
  // The customer brings the receipt back: its number finds the sale, and the carton is offered as a carton.
  await page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Return' }).click();
  const byReceipt = page.getByRole('form', { name: 'Return by receipt number' });
  await byReceipt.getByLabel('Receipt number').fill('#deadbeef');
  await byReceipt.getByRole('button', { name: 'Find the sale' }).click();
  await expect(byReceipt.getByRole('alert')).toContainText('No sale of this shop has that receipt number');
  await byReceipt.getByLabel('Receipt number').fill(`#${receiptNo.toUpperCase()}`);
  await byReceipt.getByRole('button', { name: 'Find the sale' }).click();
  await expect(page.getByTestId('return-against')).toBeVisible();
  await expect(page.getByRole('button', { name: `Sell ${item.nameEn} by the carton of 24` })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.cart-line .line-total')).toHaveText(`Rs ${cartonPrice.toLocaleString('en-PK')}`);
  await page.screenshot({ path: 'test-results/screenshots/return-by-receipt.png' });
  await page.getByRole('button', { name: `Remove ${item.nameEn}` }).click();
  await page.getByRole('group', { name: 'Sale or return' }).getByRole('button', { name: 'Sale' }).click();

  const deviceId = await page.evaluate(() => localStorage.getItem('bazaar.deviceId'));
  const sales = (await serverOperations(request, token)).filter((op) => op.deviceId === deviceId && op.type === 'sale' && op.lines?.[0]?.productId === item.productId);
  expect(sales.map((op) => op.lines)).toEqual(expect.arrayContaining([[{ productId: item.productId, quantity: 1, unitPrice: cartonPrice, packSize: 24 }], [{ productId: item.productId, quantity: 5, unitPrice: item.price }]]));

  // The owner's tablet receives two cartons at a cost per carton.
  const tablet = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await tablet.newPage();
  await signIn(owner, 'owner', { store: 'Saddar Kiryana Store' });
  await openTab(owner, 'Stock');
  await owner.getByRole('searchbox', { name: 'Search products' }).fill(SKU);
  await expect(stockRow(owner, SKU).locator('.quantity')).toHaveText('31');
  await stockRow(owner, SKU).getByRole('button', { name: `Open ${item.nameEn}` }).click();
  const purchase = owner.getByRole('form', { name: 'Receive a purchase' });
  await purchase.getByLabel('Carton of 24').check();
  await purchase.getByLabel('Cartons').fill('2');
  await purchase.getByLabel('Cost per carton').fill('4800');
  await purchase.getByRole('button', { name: 'Record purchase' }).click();
  await expect(purchase.getByRole('status')).toHaveText(/Recorded/);
  await expect(stockRow(owner, SKU).locator('.quantity')).toHaveText('79');
  await expect(stockRow(owner, SKU).locator('.packs')).toHaveText('3 cartons + 7 pcs');
  await owner.screenshot({ path: 'test-results/screenshots/pack-purchase.png' });
  await expect(pendingBadge(owner)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get(SKU)?.quantity).toBe(79);
  await tablet.close();
});

async function openDayBook(page: import('@playwright/test').Page) {
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Day book' }).click();
  await expect(page.getByRole('heading', { name: 'Day book', level: 2 })).toBeVisible();
}
const paisaOf = (text: string) => Math.round(Number(text.replace(/[^\d.-]/g, '')) * 100);

test('an owner receives a supplier’s invoice of several lines paid from the drawer, and another owed: the day book takes the cash out, the supplier is owed', async ({ page, request }) => {
  const { token } = await apiLogin(request, 'owner');
  // The owner has several stores; the shopkeeper's one is Saddar, the store signed in to below.
  const storeId = (await apiLogin(request, 'shopkeeper')).storeIds[0]!;
  const stock = await serverStock(request, token, storeId);
  const coffee = stock.get(SKU)!;
  const sherbet = stock.get('ROOH-AFZA-800ML')!;

  await signIn(page, 'owner', { store: 'Saddar Kiryana Store' });
  await openDayBook(page);
  const cashBefore = paisaOf(await page.getByTestId('cash-in').innerText());
  await openTab(page, 'Stock');
  await page.getByText('Receive goods from a supplier').click();
  const invoice = page.getByRole('form', { name: 'Receive goods from a supplier' });
  await invoice.getByRole('combobox', { name: 'Supplier' }).fill('Metro Cash & Carry');
  await invoice.getByLabel('Invoice number').fill('INV-5521');
  await invoice.getByLabel('Add a product').fill(SKU);
  await invoice.getByRole('button', { name: `Add ${coffee.nameEn} to the purchase` }).click();
  await invoice.getByRole('button', { name: `Sell ${coffee.nameEn} by the carton of 24` }).click();
  await invoice.getByLabel(`Quantity of ${coffee.nameEn}`).fill('2');
  // A minus in a cost, a barcode in a quantity: marked, and nothing can be recorded.
  await invoice.getByLabel(`Cost of ${coffee.nameEn}`).fill('-5');
  await expect(invoice.getByLabel(`Cost of ${coffee.nameEn}`)).toHaveAttribute('aria-invalid', 'true');
  await expect(invoice.getByRole('button', { name: 'Record purchase' })).toBeDisabled();
  await invoice.getByLabel(`Cost of ${coffee.nameEn}`).fill('16500');
  await invoice.getByLabel('Add a product').fill('ROOH-AFZA-800ML');
  await invoice.getByRole('button', { name: `Add ${sherbet.nameEn} to the purchase` }).click();
  await invoice.getByLabel(`Quantity of ${sherbet.nameEn}`).fill('8964000123456');
  await invoice.getByLabel(`Cost of ${sherbet.nameEn}`).fill('480');
  await expect(invoice.getByLabel(`Quantity of ${sherbet.nameEn}`)).toHaveAttribute('aria-invalid', 'true');
  await expect(invoice.getByRole('button', { name: 'Record purchase' })).toHaveAccessibleDescription('Each line needs a quantity above zero and a cost.');
  await invoice.getByLabel(`Quantity of ${sherbet.nameEn}`).fill('6');
  await expect(invoice.locator('.total')).toContainText('Rs 35,880');
  await invoice.getByRole('button', { name: 'Record purchase' }).click();
  await expect(invoice.getByRole('status')).toContainText('Purchase of Rs 35,880 recorded');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(SKU);
  await expect(stockRow(page, SKU).locator('.quantity')).toHaveText(String(coffee.quantity + 48));

  // Owed: only to someone named.
  await invoice.getByRole('combobox', { name: 'Supplier' }).fill('');
  await invoice.getByLabel('Add a product').fill('ROOH-AFZA-800ML');
  await invoice.getByRole('button', { name: `Add ${sherbet.nameEn} to the purchase` }).click();
  await invoice.getByLabel(`Quantity of ${sherbet.nameEn}`).fill('12');
  await invoice.getByLabel(`Cost of ${sherbet.nameEn}`).fill('470');
  await invoice.getByRole('radio', { name: 'Owed to the supplier' }).check();
  await expect(invoice.getByRole('button', { name: 'Record purchase' })).toHaveAccessibleDescription('Owed to whom? Type the supplier.');
  await invoice.getByRole('combobox', { name: 'Supplier' }).fill('Hassan Traders');
  await invoice.getByRole('button', { name: 'Record purchase' }).click();
  await expect(invoice.getByRole('status')).toContainText('Purchase of Rs 5,640 recorded');
  await page.screenshot({ path: 'test-results/screenshots/receive-goods.png', fullPage: true });

  // What is owed, paid off in part from the drawer; the supplier given a phone.
  await page.locator('summary', { hasText: 'Suppliers' }).click();
  const owed = page.getByTestId('owed-to-suppliers').locator('li', { hasText: 'Hassan Traders' });
  await expect(owed).toContainText('Rs 5,640');
  await owed.getByRole('button', { name: 'Pay Hassan Traders' }).click();
  const pay = page.getByRole('form', { name: 'Pay Hassan Traders' });
  await expect(pay.getByLabel('Amount, Rs')).toHaveValue('5640');
  await pay.getByLabel('Amount, Rs').fill('-2000');
  await expect(pay.getByRole('button', { name: 'Record payment' })).toBeDisabled();
  await pay.getByLabel('Amount, Rs').fill('2000');
  await pay.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'paid to Hassan Traders recorded' })).toBeVisible();
  await expect(owed).toContainText('Rs 3,640');
  const edit = page.getByRole('form', { name: 'Add or edit a supplier' });
  await edit.getByLabel('Name').fill('Hassan Traders');
  await edit.getByLabel('Phone').fill('12345');
  await expect(edit.getByRole('button', { name: 'Save supplier' })).toBeDisabled();
  await edit.getByLabel('Phone').fill('0300-1234567');
  await edit.getByRole('button', { name: 'Save supplier' }).click();
  await expect(owed).toContainText('+923001234567');
  await expect(owed).toContainText('Rs 3,640');
  await page.screenshot({ path: 'test-results/screenshots/suppliers.png', fullPage: true });

  await openDayBook(page);
  await expect(page.getByTestId('purchases-drawer')).toContainText('Rs 35,880');
  await expect(page.getByTestId('purchases-owed')).toContainText('Rs 5,640');
  await expect(page.getByTestId('suppliers-paid-drawer')).toContainText('Rs 2,000');
  expect(paisaOf(await page.getByTestId('cash-in').innerText())).toBe(cashBefore - 3_588_000 - 200_000);
  await page.screenshot({ path: 'test-results/screenshots/day-book-purchases.png', fullPage: true });

  await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
  await expect.poll(async () => (await serverStock(request, token, storeId)).get('ROOH-AFZA-800ML')?.quantity).toBe(sherbet.quantity + 18);
  const ops = (await serverOperations(request, token)) as unknown as { type: string; invoiceRef?: string; supplier?: string; paid?: string; lines: object[] }[];
  expect(ops.find((op) => op.type === 'purchase' && op.invoiceRef === 'INV-5521')).toMatchObject({
    supplier: 'Metro Cash & Carry',
    paid: 'drawer',
    lines: [{ productId: coffee.productId, quantity: 2, unitCost: 16500, packSize: 24 }, { productId: sherbet.productId, quantity: 6, unitCost: 480 }],
  });
  // The server's list of suppliers reads as the tablet's, once the books worker has the events.
  const hassan = async () => {
    const list = await request.get(`/api/stores/${storeId}/suppliers`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.ok()).toBe(true);
    return ((await list.json()) as { suppliers: { name: string; phone: string | null; owedPaisa: number }[] }).suppliers.find((x) => x.name === 'Hassan Traders');
  };
  await expect.poll(hassan).toMatchObject({ phone: '923001234567', owedPaisa: 364_000 });

  // In Urdu, right to left: the same list and forms in the app's own face.
  await openTab(page, 'Stock');
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch to Urdu' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.locator('summary', { hasText: 'سپلائرز ·' }).click();
  await expect(page.getByTestId('owed-to-suppliers').locator('li', { hasText: 'Hassan Traders' }).getByRole('button', { name: 'Hassan Traders کو ادائیگی' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'سپلائر شامل یا تبدیل کریں' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/suppliers-urdu.png', fullPage: true });
});
