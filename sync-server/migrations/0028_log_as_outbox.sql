-- The log is the outbox (issue 13, docs/EVENTS.md): a push no longer writes a
-- second copy of each event. The relay reads the operations, with their
-- movements, in the order their pushes committed, by the same kind of
-- transaction-id checkpoint pulls use (SPEC.md P3), and derives the events
-- from them.

-- `txid` moves when a decision is recorded on an operation (R9), so devices
-- pull it again; `logged_txid` is the push's and never moves. `log_seq` is
-- the operation's place in its batch: one store's events keep the batch's
-- order. A release from before this one writes no `log_seq` (NULL): its
-- operations' events are in `outbox`, which the relay drains first, so a
-- rolling update loses and repeats nothing.
ALTER TABLE operations
  ADD COLUMN logged_txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  ADD COLUMN log_seq integer,
  -- An applied store product edit: the state it left (the event carries it).
  ADD COLUMN effect jsonb;
CREATE INDEX operations_log ON operations (logged_txid, log_seq) WHERE log_seq IS NOT NULL;

-- Where the relay has got to in the log. One row: one relay publishes at a time.
CREATE TABLE log_relay (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  txid  xid8 NOT NULL,
  seq   integer NOT NULL
);
-- Every operation before this migration had its events written to the outbox.
INSERT INTO log_relay (txid, seq) VALUES (pg_current_xact_id(), 2147483647);

-- Dead letters are known by their event id now that events have no outbox row.
ALTER TABLE outbox_dead_letters DROP CONSTRAINT outbox_dead_letters_pkey;
ALTER TABLE outbox_dead_letters ALTER COLUMN outbox_id DROP NOT NULL;
ALTER TABLE outbox_dead_letters ADD PRIMARY KEY (event_id);

-- A return's sale is found in the log (R12): only returns naming one have an entry.
CREATE INDEX operations_returns_of ON operations (store_id, (payload->>'saleId')) WHERE type = 'return' AND payload ? 'saleId';
