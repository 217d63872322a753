import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitsDecision, PROTOCOL_HEADER, type OperationDoc, type Resolution } from '@bazaar/shared';
import { countRows, createProduct, createStore, op, signIn, startHarness, type ApiClient, type Harness } from '../../test/harness';

// SPEC.md R9: decisions about refused or flagged operations, against real PostgreSQL.
let h: Harness;
let store: string;
let otherStore: string;
let owner: ApiClient;
let shopkeeper: ApiClient;
let stranger: ApiClient;

beforeAll(async () => {
  h = await startHarness();
  store = await createStore(h.sql, 'Saddar');
  otherStore = await createStore(h.sql, 'Anarkali');
  owner = await signIn(h, 'owner', [store]);
  shopkeeper = await signIn(h, 'shopkeeper', [store]);
  stranger = await signIn(h, 'shopkeeper', [otherStore]);
});
afterAll(() => h?.close());

const resolution = (operationId: string, action: Resolution['action'], extra: Partial<Resolution> = {}): Resolution => ({
  id: operationId,
  storeId: store,
  deviceId: 'phone-1',
  action,
  createdAt: new Date().toISOString(),
  ...extra,
});
const resolve = (client: ApiClient, rows: Resolution[]) =>
  client.request('POST', '/api/sync/resolutions/push', rows.map((r) => ({ newDocumentState: r, assumedMasterState: null })));

async function pulledOperation(client: ApiClient, id: string) {
  const res = await client.pull('operations', null, 2000);
  return (res.body.documents as OperationDoc[]).find((d) => d.id === id);
}

/** A price edit that loses against a newer one: refused with stale_version. */
async function refusedEdit(client = owner, storeId = store): Promise<string> {
  const product = await createProduct(h.sql);
  await client.push([op.price(storeId, product, 0, 120)]);
  const stale = op.price(storeId, product, 0, 130);
  await client.push([stale]);
  return stale.id;
}

describe('resolutions', () => {
  it('R9 a discarded refusal is kept on the operation, audited, and pulled by the store’s devices', async () => {
    const refused = await refusedEdit();
    const res = await resolve(owner, [resolution(refused, 'discarded')]);
    expect(res).toMatchObject({ status: 200, body: [] });
    const doc = await pulledOperation(shopkeeper, refused);
    expect(doc?.outcome.resolution).toMatchObject({ action: 'discarded', userId: owner.userId, deviceId: 'phone-1', replacementId: null });
    expect(await countRows(h.sql, 'audit_log', `action = 'operation.discarded' AND details->>'operationId' = $1`, [refused])).toBe(1);
  });

  it('R9 a resend names its replacement; a retry or a later decision changes nothing', async () => {
    const refused = await refusedEdit();
    const [{ productId }] = (await h.sql.query('SELECT payload->>\'productId\' AS "productId" FROM operations WHERE id = $1', [refused])).rows;
    const replacement = op.price(store, productId, 1, 131);
    expect((await owner.push([replacement])).status).toBe(200);
    const replacementId = replacement.id;
    expect((await resolve(owner, [resolution(refused, 'resent', { replacementId })])).status).toBe(200);
    const again = await resolve(owner, [resolution(refused, 'discarded')]);
    expect(again.status).toBe(200);
    expect((await pulledOperation(owner, refused))?.outcome.resolution).toMatchObject({ action: 'resent', replacementId });
    expect(await countRows(h.sql, 'audit_log', `action LIKE 'operation.%' AND details->>'operationId' = $1`, [refused])).toBe(1);
  });

  it('R9 a flagged sale is acknowledged; a sale applied cleanly cannot be resolved', async () => {
    const product = await createProduct(h.sql);
    const flagged = op.sale(store, [{ productId: product, quantity: 2 }]);
    await shopkeeper.push([flagged]);
    expect((await resolve(shopkeeper, [resolution(flagged.id, 'acknowledged')])).status).toBe(200);
    expect((await pulledOperation(owner, flagged.id))?.outcome.resolution).toMatchObject({ action: 'acknowledged' });

    await owner.push([op.purchase(store, [{ productId: product, quantity: 10 }])]);
    const clean = op.sale(store, [{ productId: product, quantity: 1 }]);
    await shopkeeper.push([clean]);
    const res = await resolve(shopkeeper, [resolution(clean.id, 'discarded')]);
    expect(res).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect((await pulledOperation(owner, clean.id))?.outcome.resolution).toBeNull();
  });

  it("R9 a shopkeeper's acknowledgement of a negative-stock sale leaves it for the owner's review, marked as such", async () => {
    const product = await createProduct(h.sql);
    const sale = op.sale(store, [{ productId: product, quantity: 3 }]);
    await shopkeeper.push([sale]);
    expect(await pulledOperation(owner, sale.id)).toMatchObject({ outcome: { discrepancy: true, reason: 'negative_stock' } });
    expect((await resolve(shopkeeper, [resolution(sale.id, 'acknowledged')])).status).toBe(200);

    // The owner's devices see who acknowledged it, and that it still awaits them.
    const seen = await pulledOperation(owner, sale.id);
    expect(seen?.outcome.resolution).toMatchObject({ action: 'acknowledged', userId: shopkeeper.userId, role: 'shopkeeper' });
    expect(awaitsDecision(seen as never, owner.login.user)).toBe(true);
    expect(awaitsDecision(seen as never, shopkeeper.login.user)).toBe(false);
    // A second shopkeeper acknowledgement changes nothing; the owner's review takes its place.
    expect((await resolve(shopkeeper, [resolution(sale.id, 'acknowledged')])).status).toBe(200);
    expect((await resolve(owner, [resolution(sale.id, 'acknowledged')])).status).toBe(200);
    const reviewed = await pulledOperation(owner, sale.id);
    expect(reviewed?.outcome.resolution).toMatchObject({ action: 'acknowledged', userId: owner.userId, role: 'owner' });
    expect(awaitsDecision(reviewed as never, owner.login.user)).toBe(false);
    // Final now: nobody replaces the owner's.
    expect((await resolve(shopkeeper, [resolution(sale.id, 'acknowledged')])).status).toBe(200);
    expect((await pulledOperation(owner, sale.id))?.outcome.resolution).toMatchObject({ userId: owner.userId });
    expect(await countRows(h.sql, 'audit_log', `action = 'operation.acknowledged' AND details->>'operationId' = $1`, [sale.id])).toBe(2);

    // A protocol 1 app, which reads documents strictly, is sent the decision as it knew it.
    const old = await owner.request('GET', '/api/sync/operations/pull?limit=2000', undefined, { [PROTOCOL_HEADER]: '1' });
    const doc = (old.body.documents as { id: string; resolution?: object }[]).find((d) => d.id === sale.id);
    expect(doc?.resolution).toMatchObject({ action: 'acknowledged', userId: owner.userId });
    expect(doc?.resolution).not.toHaveProperty('role');
  });

  it('R9 an unknown operation, or one of another store, is a clear 400 and writes nothing', async () => {
    const refused = await refusedEdit();
    const res = await resolve(owner, [resolution(refused, 'discarded'), resolution(randomUUID(), 'discarded')]);
    expect(res).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect(res.body.details).toHaveLength(1);
    expect((await pulledOperation(owner, refused))?.outcome.resolution).toBeNull();
  });

  it('R9 resolving for a store the user does not belong to refuses the whole push with 403', async () => {
    const refused = await refusedEdit();
    const res = await resolve(stranger, [resolution(refused, 'discarded')]);
    expect(res).toMatchObject({ status: 403, body: { reason: 'forbidden' } });
    const asOther = await resolve(stranger, [resolution(refused, 'discarded', { storeId: otherStore })]);
    expect(asOther.status).toBe(400);
    expect((await pulledOperation(owner, refused))?.outcome.resolution).toBeNull();
  });

  it('R9 a decision is taken only by a role that may push that kind of operation: 403, nothing recorded', async () => {
    const refused = await refusedEdit();
    const res = await resolve(shopkeeper, [resolution(refused, 'discarded')]);
    expect(res).toMatchObject({ status: 403, body: { reason: 'forbidden' } });
    expect((await pulledOperation(owner, refused))?.outcome.resolution).toBeNull();
    expect(await countRows(h.sql, 'audit_log', `action LIKE 'operation.%' AND details->>'operationId' = $1`, [refused])).toBe(0);
  });

  it('R9 a resend must name a replacement already pushed to the same store: 400 otherwise, nothing recorded', async () => {
    const refused = await refusedEdit();
    const missing = await resolve(owner, [resolution(refused, 'resent', { replacementId: randomUUID() })]);
    expect(missing).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    const elsewhere = op.sale(otherStore, [{ productId: await createProduct(h.sql), quantity: 1 }]);
    expect((await stranger.push([elsewhere])).status).toBe(200);
    const foreign = await resolve(owner, [resolution(refused, 'resent', { replacementId: elsewhere.id })]);
    expect(foreign).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect((await pulledOperation(owner, refused))?.outcome.resolution).toBeNull();
  });

  it('R9 bad input is refused with 400: an unknown action, an empty push', async () => {
    const refused = await refusedEdit();
    const bad = await resolve(owner, [{ ...resolution(refused, 'discarded'), action: 'deleted' as never }]);
    expect(bad).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect((await owner.request('POST', '/api/sync/resolutions/push', [])).status).toBe(400);
  });

  it('R8 decisions for two stores in one push are written store by store; one that cannot be made saves nothing in either store', async () => {
    const ofBoth = await signIn(h, 'owner', [store, otherStore]);
    const here = await refusedEdit(ofBoth, store);
    const there = await refusedEdit(ofBoth, otherStore);
    const audited = (id: string) => countRows(h.sql, 'audit_log', `action = 'operation.discarded' AND details->>'operationId' = $1`, [id]);

    const bad = await resolve(ofBoth, [resolution(here, 'discarded'), resolution(randomUUID(), 'discarded', { storeId: otherStore })]);
    expect(bad).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    expect((await pulledOperation(ofBoth, here))?.outcome.resolution).toBeNull();
    expect(await audited(here)).toBe(0);

    const good = await resolve(ofBoth, [resolution(here, 'discarded'), resolution(there, 'discarded', { storeId: otherStore })]);
    expect(good.status).toBe(200);
    expect((await pulledOperation(ofBoth, here))?.outcome.resolution).toMatchObject({ action: 'discarded' });
    expect((await pulledOperation(ofBoth, there))?.outcome.resolution).toMatchObject({ action: 'discarded' });
    // A retry of the same push changes nothing in either store.
    expect((await resolve(ofBoth, [resolution(here, 'discarded'), resolution(there, 'discarded', { storeId: otherStore })])).status).toBe(200);
    expect([await audited(here), await audited(there)]).toEqual([1, 1]);
  });
});
