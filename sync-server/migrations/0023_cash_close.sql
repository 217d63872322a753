-- The day's close (issue 12, SPEC.md C1-C3): the cash counted in the drawer
-- against what the day's records expected, as the counter saw them. Written
-- by the push transaction from applied `cash_close` operations.

-- One row per close. `seq` 1 is the day's close; each later one is a
-- correction, and the highest stands. Money in paisa, as the device worked
-- it out (shared/src/domain/cash-close.ts).
CREATE TABLE cash_closes (
  store_id            uuid NOT NULL,
  day                 date NOT NULL,
  seq                 integer NOT NULL CHECK (seq >= 1),
  operation_id        uuid NOT NULL,
  opening_float_paisa bigint NOT NULL,
  cash_in_paisa       bigint NOT NULL,
  paid_out_paisa      bigint NOT NULL,
  expected_paisa      bigint NOT NULL,
  counted_paisa       bigint NOT NULL,
  difference_paisa    bigint NOT NULL,
  client_time         timestamptz NOT NULL,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, day, seq),
  UNIQUE (store_id, operation_id),
  FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id)
);
