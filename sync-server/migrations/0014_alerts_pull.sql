-- Devices pull their store's alerts (issue 10), checkpointed by transaction id
-- like every pulled table (SPEC.md P3). The alerts worker writes them on
-- sessions that pulls of other collections do not wait for, so pulls of this
-- one do (pull-repository.ts).
ALTER TABLE alerts
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- The transaction that opened it (never touched again): a device whose
  -- checkpoint is older never saw it, so once it is old history it need not
  -- be sent.
  ADD COLUMN opened_txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE TRIGGER alerts_touch BEFORE INSERT OR UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION bazaar_touch();
CREATE INDEX alerts_pull ON alerts (store_id, txid, id);
