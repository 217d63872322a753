-- The udhaar ledger (issue 12, SPEC.md L1-L4): a store's customers and what
-- each owes. Written by the push transaction like stock, pulled by the
-- store's devices like stock.

-- A customer, with an id a device made. `merged_into`: this id is another
-- name for that customer (two phones added the same number offline); its
-- entries count in that customer's account. The balance, and since when it
-- is owed, are kept here by every push that touches the account, worked out
-- by the same rules as on the device (shared/src/domain/ledger.ts).
CREATE TABLE customers (
  store_id        uuid NOT NULL REFERENCES stores (id),
  id              uuid NOT NULL,
  name            text NOT NULL,
  phone           text,
  credit_limit    numeric(14,2) CHECK (credit_limit >= 0),
  merged_into     uuid,
  balance_paisa   bigint NOT NULL DEFAULT 0,
  owed_since      timestamptz,
  last_payment_at timestamptz,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  txid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (store_id, id),
  FOREIGN KEY (store_id, merged_into) REFERENCES customers (store_id, id)
);
-- One customer per number in a store (SPEC.md L2).
CREATE UNIQUE INDEX customers_phone ON customers (store_id, phone) WHERE merged_into IS NULL AND phone IS NOT NULL;
CREATE INDEX customers_pull ON customers (store_id, txid, id);
CREATE TRIGGER customers_touch BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION bazaar_touch();

-- What each applied operation added to an account, in paisa (positive: owed).
-- Append-only, like movements: an account is the sum of its entries.
CREATE TABLE ledger_entries (
  store_id     uuid NOT NULL,
  operation_id uuid NOT NULL,
  -- As the operation named it: possibly another name for a customer.
  customer_id  uuid NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('credit_sale', 'credit_return', 'payment')),
  amount_paisa bigint NOT NULL,
  method       text,
  reference    text,
  client_time  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, operation_id),
  FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id),
  FOREIGN KEY (store_id, customer_id) REFERENCES customers (store_id, id)
);
CREATE INDEX ledger_entries_customer ON ledger_entries (store_id, customer_id);
