-- A push writes the event and the state (issue 13): the operation as the log,
-- its movements, the stock, and what later pushes must read (customers and
-- their entries, closes, suppliers' names). The reading tables below are
-- projections the `books` worker builds from the events (docs/EVENTS.md),
-- like the analytics tables: no foreign keys, their rows come from events
-- the server checked.
DO $$
DECLARE c record;
BEGIN
  FOR c IN
    SELECT conrelid::regclass AS tab, conname FROM pg_constraint
     WHERE contype = 'f' AND conrelid IN ('sales'::regclass, 'sale_lines'::regclass, 'purchases'::regclass,
                                          'purchase_lines'::regclass, 'supplier_payments'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tab, c.conname);
  END LOOP;
END $$;

-- Refusals are the log's own rows: a copy of each was written beside it.
DROP TABLE rejected_operations;
CREATE VIEW rejected_operations AS
  SELECT id AS operation_id, store_id, reason, message, payload, received_at AS rejected_at
    FROM operations WHERE status = 'rejected';
