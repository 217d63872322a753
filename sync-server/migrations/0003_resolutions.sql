-- What a person decided about a refused or flagged operation (SPEC.md R9):
-- {action, userId, deviceId, replacementId, at, receivedAt}. Set once; the
-- row's txid moves with it, so every device of the store pulls the decision.
ALTER TABLE operations ADD COLUMN resolution jsonb;
