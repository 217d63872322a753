-- Suppliers (issue 12, SPEC.md S1-S3): a store's suppliers, known by their
-- name folded (`supplierKey`: trimmed, spaces collapsed, lower case), and what
-- was paid to each. What a supplier is owed is read from the owed purchases
-- and the payments, never kept as a running figure.

-- Named by a `supplier` operation (`edited`) or, until one comes, by the
-- purchases and payments that name it. `named_at`: when the operation that
-- set the name was made; the push keeps the order of `supersedes`.
CREATE TABLE suppliers (
  store_id   uuid NOT NULL REFERENCES stores (id),
  key        text NOT NULL CHECK (key <> ''),
  name       text NOT NULL,
  phone      text,
  note       text,
  edited     boolean NOT NULL,
  named_at   timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  txid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (store_id, key)
);
CREATE TRIGGER suppliers_touch BEFORE INSERT OR UPDATE ON suppliers FOR EACH ROW EXECUTE FUNCTION bazaar_touch();

-- Which supplier a purchase is from, as its key; earlier purchases folded the same way.
ALTER TABLE purchases ADD COLUMN supplier_key text;
UPDATE purchases SET supplier_key = lower(regexp_replace(btrim(supplier), '\s+', ' ', 'g')) WHERE btrim(supplier) <> '';
INSERT INTO suppliers (store_id, key, name, edited, named_at)
SELECT DISTINCT ON (store_id, supplier_key) store_id, supplier_key, btrim(supplier), false, client_time
  FROM purchases WHERE supplier_key IS NOT NULL
 ORDER BY store_id, supplier_key, client_time DESC;
DROP INDEX purchases_owed;
CREATE INDEX purchases_owed ON purchases (store_id, supplier_key) WHERE paid = 'owed';

-- Money paid to a supplier against what was owed (S2). Append-only.
CREATE TABLE supplier_payments (
  store_id     uuid NOT NULL,
  operation_id uuid NOT NULL,
  supplier_key text NOT NULL,
  amount_paisa bigint NOT NULL CHECK (amount_paisa > 0),
  paid         text NOT NULL CHECK (paid IN ('drawer', 'elsewhere')),
  reference    text,
  client_time  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, operation_id),
  FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id),
  FOREIGN KEY (store_id, supplier_key) REFERENCES suppliers (store_id, key)
);
CREATE INDEX supplier_payments_supplier ON supplier_payments (store_id, supplier_key);
