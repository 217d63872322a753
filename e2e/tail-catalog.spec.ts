import { expect, test } from '@playwright/test';
import { CATALOG_CSV_COLUMNS, toCsv } from '@bazaar/shared';
import { DEMO_PASSWORD, signIn } from './helpers';

// Late in the run on purpose (files run in name order, update.spec last): it
// grows the shared catalog by 5,000 products, which every later first sync pulls.
const shot = (name: string) => `test-results/screenshots/${name}.png`;
test.use({ viewport: { width: 1280, height: 860 } });

test('an admin imports 5,000 products with a few bad rows: those are reported and refused, the rest applied, and a new one reaches a shopkeeper’s phone', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const run = Date.now().toString(36).toUpperCase();
  const sku = (n: number) => `E2E-${run}-${n}`;
  const rows = Array.from({ length: 5000 }, (_, n) => [sku(n), '', `Imported ${run} ${n}`, `درآمد ${n}`, 'imported', 'piece', 1, 40 + (n % 60)] as (string | number)[]);
  rows[100] = [sku(100), '', `Imported ${run} 100`, 'درآمد', 'imported', 'sack', 1, 40];
  rows[200] = [sku(200), '', `Imported ${run} 200`, 'درآمد', 'imported', 'piece', 1, 'free'];
  rows[300] = [sku(1), '', 'Again', 'دوبارہ', 'imported', 'piece', 1, 40];

  // The shopkeeper's phone is open and synced before the import.
  const phone = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 740 } });
  const shop = await phone.newPage();
  await signIn(shop, 'shopkeeper');

  await page.goto('/');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Catalog' }).click();
  await page.getByLabel('CSV file').setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(CATALOG_CSV_COLUMNS, rows)) });
  const report = page.getByRole('status', { name: 'Import from CSV' });
  await expect(report).toContainText('5000 rows read. Nothing is changed until you apply.');
  await expect(report).toContainText('4997 new');
  await expect(report).toContainText('3 refused');
  const refused = page.getByRole('table', { name: 'Rows refused (not applied)' }).locator('tbody tr');
  await expect(refused).toHaveCount(3);
  await expect(refused.nth(0)).toContainText(/102.*unit/);
  await expect(refused.nth(1)).toContainText(/202.*default_price/);
  await expect(refused.nth(2)).toContainText(/302.*repeats line 3/);
  await page.screenshot({ path: shot('admin-catalog-import'), fullPage: true });
  await page.getByRole('button', { name: 'Apply 4997 changes' }).click();
  await expect(report).toContainText('Applied: 4997 added, 0 updated.');

  // The phone pulls the new products by itself (the catalog change is announced on every stream).
  await shop.getByRole('searchbox', { name: 'Search products' }).fill(sku(42));
  await expect(shop.locator(`li.product[data-sku="${sku(42)}"]`)).toBeVisible({ timeout: 30_000 });
  await expect(shop.locator(`li.product[data-sku="${sku(100)}"]`)).toHaveCount(0);
  await shop.screenshot({ path: shot('phone-imported-product') });

  // The admin finds it in the catalog, renames it, then retires another: the phone follows both.
  const products = page.getByRole('region', { name: 'Products' });
  await products.getByRole('searchbox', { name: 'Search' }).fill(sku(42));
  const row = products.locator(`tr[data-sku="${sku(42)}"]`);
  await expect(row).toContainText(`Imported ${run} 42`);
  await row.getByRole('button', { name: `Edit Imported ${run} 42`, exact: true }).click();
  const edit = page.getByRole('form', { name: `Edit ${sku(42)}` });
  await edit.getByLabel('Name in English').fill(`Renamed ${run} 42`);
  await edit.getByLabel('Default price (Rs)').fill('-5');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('alert')).toContainText('Default price');
  await edit.getByLabel('Default price (Rs)').fill('99.50');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('status')).toContainText(`Renamed ${run} 42 is saved.`);
  await expect(row).toContainText('2');
  await products.screenshot({ path: shot('admin-catalog-edit') });
  // Searched by its new name: the list shows the first matches by name, and ten others start with this SKU.
  await shop.getByRole('searchbox', { name: 'Search products' }).fill(`Renamed ${run} 42`);
  await expect(shop.locator(`li.product[data-sku="${sku(42)}"]`)).toContainText('99.50', { timeout: 30_000 });

  await shop.getByRole('searchbox', { name: 'Search products' }).fill(sku(43));
  await expect(shop.locator(`li.product[data-sku="${sku(43)}"]`)).toBeVisible();
  await products.getByRole('searchbox', { name: 'Search' }).fill(sku(43));
  await expect(products.locator('tbody tr').first()).toHaveAttribute('data-sku', sku(43));
  await products.getByRole('button', { name: `Retire Imported ${run} 43`, exact: true }).click();
  await expect(products.getByRole('status')).toContainText(`Imported ${run} 43 is retired`);
  await expect(products.locator(`tr[data-sku="${sku(43)}"]`)).toHaveCount(0);
  await products.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Retired' }).click();
  await expect(products.locator(`tr[data-sku="${sku(43)}"]`)).toContainText('Retired');
  await page.screenshot({ path: shot('admin-catalog-retired'), fullPage: true });
  await expect(shop.locator(`li.product[data-sku="${sku(43)}"]`)).toHaveCount(0, { timeout: 30_000 });
  await phone.close();
});
