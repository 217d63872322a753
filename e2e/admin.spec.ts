import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers';

// The admin's stores and users in the browser: a store added in a region, a
// manager given that region (and one more store picked by name) who sees
// exactly those, and loses the store when the admin moves it elsewhere.
const shot = (name: string) => `test-results/screenshots/${name}.png`;
test.use({ viewport: { width: 1280, height: 860 } });

async function signInTo(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Dashboard sections' })).toBeVisible();
}
const open = async (page: Page, screen: string) => {
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('banner').getByRole('button', { name: screen, exact: true }).click();
};

test('an admin adds a store in a new region and a manager of that region, who sees it and one picked store, and stops seeing it once it moves', async ({ page, browser }) => {
  const run = Date.now().toString(36).toUpperCase();
  const storeName = `E2E Mart ${run}`;
  const region = `E2E-${run}`;
  await signInTo(page, 'admin');

  await open(page, 'Manage stores');
  const add = page.getByRole('form', { name: 'Add a store' });
  await add.getByRole('textbox', { name: 'Name' }).fill(storeName);
  await add.getByRole('textbox', { name: 'City' }).fill('Quetta');
  await add.getByRole('combobox', { name: 'Region' }).fill(region);
  await add.getByRole('combobox', { name: 'Time zone' }).selectOption('Asia/Dubai');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add.getByRole('status')).toContainText(`${storeName} is added.`);
  const stores = page.getByRole('region', { name: 'Manage stores' });
  await stores.getByRole('searchbox', { name: 'Search' }).fill(run);
  const row = stores.locator(`tr[data-store="${storeName}"]`);
  await expect(row).toContainText('Asia/Dubai');
  await expect(row).toContainText('No owner yet');
  await expect(stores.locator('tbody tr')).toHaveCount(1);
  await page.screenshot({ path: shot('admin-stores') });

  await open(page, 'Manage users');
  const addUser = page.getByRole('form', { name: 'Add a user' });
  const username = `mgr-${run.toLowerCase()}`;
  await addUser.getByLabel('Username').fill(username);
  await addUser.getByLabel('Name shown').fill('Regional Manager');
  await addUser.getByLabel('Password').fill('short');
  await addUser.getByLabel('Role').selectOption('manager');
  await addUser.getByRole('checkbox', { name: region }).check();
  await addUser.getByRole('searchbox', { name: 'Add a store' }).fill('G-9');
  await addUser.getByRole('button', { name: 'Add G-9 Markaz Mart' }).click();
  await expect(addUser.locator('.chips')).toContainText('G-9 Markaz Mart');
  await addUser.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(addUser.getByRole('alert')).toContainText('password');
  const password = 'regional-manager-1';
  await addUser.getByLabel('Password').fill(password);
  await addUser.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(addUser.getByRole('status')).toContainText(`${username} may now sign in.`);
  const users = page.getByRole('region', { name: 'Manage users' });
  await users.getByRole('searchbox', { name: 'Search' }).fill(username);
  await expect(users.locator(`tr[data-user="${username}"]`)).toContainText(`G-9 Markaz Mart, Region: ${region}`);
  await expect(users.locator('tbody tr')).toHaveCount(1);
  await expect(addUser.getByRole('searchbox', { name: 'Add a store' })).toHaveValue('');
  await page.screenshot({ path: shot('admin-users') });
  // The same screen in Urdu, right to left.
  await page.getByRole('banner').getByLabel('Menu').click();
  await page.getByRole('button', { name: 'Switch to Urdu' }).click();
  await expect(page.getByRole('heading', { name: 'صارفین کا انتظام', level: 2 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.screenshot({ path: shot('admin-users-urdu') });
  await page.getByRole('banner').getByLabel('مینو').click();
  await page.getByRole('button', { name: 'انگریزی میں دیکھیں' }).click();

  // The manager, on a laptop of their own, sees the two stores and no other.
  const laptop = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1280, height: 860 } });
  const manager = await laptop.newPage();
  await signInTo(manager, username, password);
  const section = manager.getByRole('navigation', { name: 'Dashboard sections' });
  await section.getByRole('button', { name: 'Stores' }).click();
  const rows = manager.locator('.data-table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(manager.locator('.data-table tbody')).toContainText(storeName);
  await expect(manager.locator('.data-table tbody')).toContainText('G-9 Markaz Mart');

  // The admin moves the store to another region: at the manager's next look it is gone.
  await open(page, 'Manage stores');
  await stores.getByRole('searchbox', { name: 'Search' }).fill(run);
  await stores.getByRole('button', { name: `Edit ${storeName}` }).click();
  const edit = page.getByRole('form', { name: `Edit ${storeName}` });
  await edit.getByRole('combobox', { name: 'Region' }).fill('Balochistan');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('status')).toContainText(`${storeName} is saved.`);
  await expect(row).toContainText('Balochistan');

  await manager.reload();
  await manager.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name: 'Stores' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('G-9 Markaz Mart');
  await laptop.close();
});
