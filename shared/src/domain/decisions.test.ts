import { describe, expect, it } from 'vitest';
import { awaitsDecision, awaitsReview, type DecidedOperation } from './decisions';
import { mayRevokeDevice } from './permissions';

const store = '00000000-0000-4000-8000-000000000001';
const owner = { role: 'owner' as const, storeIds: [store] };
const shopkeeper = { role: 'shopkeeper' as const, storeIds: [store] };
const outcome = (status: 'applied' | 'rejected', discrepancy: boolean, resolution: NonNullable<DecidedOperation['outcome']>['resolution'] = null) => ({ status, discrepancy, resolution });
const flagged: DecidedOperation = { type: 'sale', storeId: store, outcome: outcome('applied', true) };
const decided = (resolution: NonNullable<DecidedOperation['outcome']>['resolution']): DecidedOperation => ({ ...flagged, outcome: outcome('applied', true, resolution) });

describe('who still decides about a refused or flagged operation (R9)', () => {
  it('nobody decided: everybody of the store is shown it', () => {
    expect(awaitsDecision(flagged, owner)).toBe(true);
    expect(awaitsDecision(flagged, shopkeeper)).toBe(true);
    expect(awaitsDecision({ ...flagged, outcome: outcome('applied', false) }, owner)).toBe(false);
    // Not synced yet: nobody has anything to decide.
    expect(awaitsDecision({ type: 'sale', storeId: store }, owner)).toBe(false);
  });

  it("a shopkeeper's acknowledgement of a flag leaves it for the owner's review", () => {
    const seen = decided({ action: 'acknowledged', role: 'shopkeeper' });
    expect(awaitsReview(seen)).toBe(true);
    expect(awaitsDecision(seen, shopkeeper)).toBe(false);
    expect(awaitsDecision(seen, owner)).toBe(true);
    expect(awaitsDecision(seen, { role: 'owner', storeIds: [] })).toBe(false);
  });

  it("an owner's acknowledgement, a refusal's decision, or one from before roles were kept, is final", () => {
    expect(awaitsDecision(decided({ action: 'acknowledged', role: 'owner' }), owner)).toBe(false);
    expect(awaitsDecision(decided({ action: 'acknowledged' }), owner)).toBe(false);
    const refused: DecidedOperation = { type: 'sale', storeId: store, outcome: outcome('rejected', false, { action: 'discarded', role: 'shopkeeper' }) };
    expect(awaitsDecision(refused, owner)).toBe(false);
  });
});

describe('whose devices an actor may revoke', () => {
  const karachiOwner = { id: 'o', role: 'owner' as const, storeIds: [store] };
  it("an owner: their own and their stores' shopkeepers', never a manager's or another owner's", () => {
    expect(mayRevokeDevice(karachiOwner, karachiOwner)).toBe(true);
    expect(mayRevokeDevice(karachiOwner, { id: 's', role: 'shopkeeper', storeIds: [store] })).toBe(true);
    expect(mayRevokeDevice(karachiOwner, { id: 's2', role: 'shopkeeper', storeIds: [store, 'elsewhere'] })).toBe(false);
    expect(mayRevokeDevice(karachiOwner, { id: 'm', role: 'manager', storeIds: [store] })).toBe(false);
    expect(mayRevokeDevice(karachiOwner, { id: 'o2', role: 'owner', storeIds: [store] })).toBe(false);
    expect(mayRevokeDevice({ id: 'a', role: 'admin', storeIds: [] }, { id: 'm', role: 'manager', storeIds: [store] })).toBe(true);
  });
});
