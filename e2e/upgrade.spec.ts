import { expect, test, type Request } from '@playwright/test';
import { addToCart, apiLogin, openTab, pendingBadge, recordSale, sellable, serverOperations, serverStock, setStock, signIn, whenOfflineReady } from './helpers';
import { buildCurrentRelease, buildOlderRelease, lastReleaseOf } from './older-release';

const shot = (name: string) => `test-results/screenshots/${name}.png`;
const PUSH = '**/api/sync/operations/push';

// Last in the run (files go in name order): it serves the protocol 6 release
// from web/dist under the running server, then today's build again.
test('sales queued offline by the protocol 6 app are pushed once by the updated app, and what it had pulled still reads', async ({ page, context, request }) => {
  test.setTimeout(300_000);
  const { token, storeIds } = await apiLogin(request, 'shopkeeper');
  const storeId = storeIds[0]!;
  const [short, item] = sellable(await serverStock(request, token, storeId), 2, 30);
  if (!short || !item) throw new Error('no products to sell');
  await setStock(request, storeId, short, 1);

  let current = false;
  buildOlderRelease(lastReleaseOf(6), 'e2e-protocol-6');
  try {
    await signIn(page, 'shopkeeper');
    await whenOfflineReady(page);

    // Online: 2 sold from a shelf of 1, pulled back flagged, kept as protocol 6 kept it (the verdict merged in).
    await addToCart(page, short, 2);
    await recordSale(page);
    await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
    const flagged = (await serverOperations(request, token)).filter((op) => op.type === 'sale' && op.outcome.discrepancy && op.lines?.some((l) => l.productId === short.productId)).at(-1)!;
    expect(flagged.outcome.reason).toBe('negative_stock');
    await openTab(page, 'Sync');
    const flaggedItem = page.locator(`.op-flagged[data-operation="${flagged.id}"]`);
    await expect(flaggedItem).toContainText('More was sold than the stock on record');

    // Offline: two sales wait in the queue.
    await context.setOffline(true);
    await openTab(page, 'Sell');
    await addToCart(page, item, 1);
    await recordSale(page);
    await addToCart(page, item, 2);
    await recordSale(page);
    await expect(pendingBadge(page)).toHaveText('2 pending');

    // Today's release is deployed. The network comes back, but no push gets through until the app has updated.
    buildCurrentRelease('e2e-protocol-7');
    current = true;
    await context.route(PUSH, (route) => route.abort());
    await context.setOffline(false);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const banner = page.getByRole('alert').filter({ hasText: 'A new version of the app is ready.' });
    await expect(banner).toBeVisible({ timeout: 60_000 });
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Update' }).click();
    await reloaded;

    // The updated app migrated its database: the two sales still wait, the flagged one still reads with its reason.
    await openTab(page, 'Sync');
    await expect(page.getByRole('definition').filter({ hasText: 'e2e-protocol-7' })).toBeVisible({ timeout: 30_000 });
    await expect(pendingBadge(page)).toHaveText('2 pending');
    await expect(flaggedItem).toContainText('More was sold than the stock on record');
    await page.screenshot({ path: shot('upgrade-migrated'), fullPage: true });

    // Pushes get through now: each queued sale goes up once, in protocol 7, and nothing pulled before the update goes up again.
    const pushed: string[] = [];
    const protocols = new Set<string>();
    const answered = async (req: Request) => {
      if (!req.url().includes('/api/sync/operations/push') || (await req.response())?.status() !== 200) return;
      protocols.add(req.headers()['x-bazaar-protocol'] ?? '');
      for (const row of req.postDataJSON() as { newDocumentState: { id: string } }[]) pushed.push(row.newDocumentState.id);
    };
    page.on('requestfinished', (req) => void answered(req));
    await context.unroute(PUSH);
    // The browser's online event wakes the queue out of its back-off.
    await context.setOffline(true);
    await context.setOffline(false);
    await expect(pendingBadge(page)).toHaveText('0 pending', { timeout: 30_000 });
    await expect.poll(() => pushed.length).toBe(2);
    expect(new Set(pushed).size).toBe(2);
    expect(pushed).not.toContain(flagged.id);
    expect([...protocols]).toEqual(['7']);

    const landed = (await serverOperations(request, token)).filter((op) => pushed.includes(op.id));
    expect(landed.map((op) => [op.type, op.outcome.status])).toEqual([
      ['sale', 'applied'],
      ['sale', 'applied'],
    ]);
    expect((await serverStock(request, token, storeId)).get(item.sku)?.quantity).toBe(item.quantity - 3);
    // Still there a while later: no resend came after the first.
    await page.waitForTimeout(2_000);
    expect(pushed).toHaveLength(2);
  } finally {
    if (!current) buildCurrentRelease('e2e-after-upgrade');
  }
});
