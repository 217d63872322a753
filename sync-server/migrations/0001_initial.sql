-- Bazaar Inventory: the first schema.
--
-- Rows that devices pull carry `txid`, the id of the transaction that last
-- wrote them. Pulls return only rows whose txid is below the oldest running
-- transaction, so a checkpoint never skips a row that commits late
-- (SPEC.md P3). A trigger keeps txid current on every insert and update.

CREATE FUNCTION bazaar_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.txid := pg_current_xact_id();
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE TABLE products (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sku           text NOT NULL UNIQUE,
  barcode       text UNIQUE,
  name_en       text NOT NULL,
  name_ur       text NOT NULL,
  category      text NOT NULL,
  unit          text NOT NULL,
  pack_size     integer NOT NULL DEFAULT 1 CHECK (pack_size > 0),
  default_price numeric(12,2) NOT NULL CHECK (default_price >= 0),
  version       integer NOT NULL DEFAULT 1,
  deleted       boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  txid          xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX products_pull ON products (txid, id);
CREATE TRIGGER products_touch BEFORE INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION bazaar_touch();

CREATE TABLE stores (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  city       text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('shopkeeper', 'owner', 'manager', 'admin')),
  display_name  text,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_stores (
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, store_id)
);

CREATE TABLE store_products (
  store_id      uuid NOT NULL REFERENCES stores (id),
  product_id    uuid NOT NULL REFERENCES products (id),
  price         numeric(12,2) CHECK (price >= 0),
  reorder_level numeric(14,3) CHECK (reorder_level >= 0),
  active        boolean NOT NULL DEFAULT true,
  version       integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  txid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (store_id, product_id)
);
CREATE INDEX store_products_pull ON store_products (store_id, txid, product_id);
CREATE TRIGGER store_products_touch BEFORE INSERT OR UPDATE ON store_products FOR EACH ROW EXECUTE FUNCTION bazaar_touch();

-- The current state, derived from movements; `version` counts them.
CREATE TABLE stock (
  store_id   uuid NOT NULL REFERENCES stores (id),
  product_id uuid NOT NULL REFERENCES products (id),
  quantity   numeric(14,3) NOT NULL,
  version    integer NOT NULL CHECK (version > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  txid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (store_id, product_id)
);
CREATE INDEX stock_pull ON stock (store_id, txid, product_id);
CREATE TRIGGER stock_touch BEFORE INSERT OR UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION bazaar_touch();

-- Every operation a device pushed, applied or refused: the idempotency key
-- and what devices pull back as outcomes.
CREATE TABLE operations (
  id           uuid PRIMARY KEY,
  store_id     uuid NOT NULL REFERENCES stores (id),
  device_id    text NOT NULL,
  user_id      uuid NOT NULL REFERENCES users (id),
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('applied', 'rejected')),
  discrepancy  boolean NOT NULL DEFAULT false,
  reason       text,
  message      text,
  -- For a refused store product edit: the state it lost against.
  current      jsonb,
  created_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  txid         xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX operations_pull ON operations (store_id, txid, id);
CREATE TRIGGER operations_touch BEFORE INSERT OR UPDATE ON operations FOR EACH ROW EXECUTE FUNCTION bazaar_touch();

-- The audit trail: one row per stock movement, never changed or removed.
CREATE TABLE movements (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  operation_id       uuid NOT NULL REFERENCES operations (id),
  line_no            integer NOT NULL,
  store_id           uuid NOT NULL REFERENCES stores (id),
  product_id         uuid NOT NULL REFERENCES products (id),
  type               text NOT NULL,
  reason             text,
  delta              numeric(14,3) NOT NULL,
  resulting_quantity numeric(14,3) NOT NULL,
  resulting_version  integer NOT NULL,
  base_version       integer,
  discrepancy        boolean NOT NULL DEFAULT false,
  device_id          text NOT NULL,
  user_id            uuid NOT NULL REFERENCES users (id),
  client_time        timestamptz NOT NULL,
  server_time        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (operation_id, line_no),
  -- One movement per version: a second writer of the same version fails here.
  UNIQUE (store_id, product_id, resulting_version)
);

CREATE FUNCTION bazaar_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements FOR EACH ROW EXECUTE FUNCTION bazaar_refuse_change();
CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements FOR EACH STATEMENT EXECUTE FUNCTION bazaar_refuse_change();

-- A sale or a return (kind), with its lines.
CREATE TABLE sales (
  operation_id   uuid PRIMARY KEY REFERENCES operations (id),
  kind           text NOT NULL CHECK (kind IN ('sale', 'return')),
  store_id       uuid NOT NULL REFERENCES stores (id),
  device_id      text NOT NULL,
  user_id        uuid NOT NULL REFERENCES users (id),
  payment_method text CHECK (payment_method IN ('cash', 'credit')),
  customer_name  text,
  customer_phone text,
  return_of      uuid,
  total          numeric(14,2) NOT NULL,
  client_time    timestamptz NOT NULL,
  server_time    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sales_store_time ON sales (store_id, server_time);

CREATE TABLE sale_lines (
  operation_id uuid NOT NULL REFERENCES sales (operation_id),
  line_no      integer NOT NULL,
  product_id   uuid NOT NULL REFERENCES products (id),
  quantity     numeric(14,3) NOT NULL,
  unit_price   numeric(12,2) NOT NULL,
  PRIMARY KEY (operation_id, line_no)
);

CREATE TABLE purchases (
  operation_id uuid PRIMARY KEY REFERENCES operations (id),
  store_id     uuid NOT NULL REFERENCES stores (id),
  supplier     text,
  invoice_ref  text,
  total        numeric(14,2) NOT NULL,
  client_time  timestamptz NOT NULL,
  server_time  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE purchase_lines (
  operation_id uuid NOT NULL REFERENCES purchases (operation_id),
  line_no      integer NOT NULL,
  product_id   uuid NOT NULL REFERENCES products (id),
  quantity     numeric(14,3) NOT NULL,
  unit_cost    numeric(12,2) NOT NULL,
  PRIMARY KEY (operation_id, line_no)
);

-- Refused operations, kept for the people who must act on them. `resolution`
-- records what a user later did about one (discarded, resent as another id).
CREATE TABLE rejected_operations (
  operation_id uuid PRIMARY KEY REFERENCES operations (id),
  store_id     uuid NOT NULL REFERENCES stores (id),
  reason       text NOT NULL,
  message      text NOT NULL,
  payload      jsonb NOT NULL,
  rejected_at  timestamptz NOT NULL DEFAULT now(),
  resolution   text,
  resolved_at  timestamptz
);
CREATE INDEX rejected_operations_store ON rejected_operations (store_id, rejected_at);

-- Events written in the same transaction as the change they describe; the
-- relay publishes them to Kafka after commit and marks them published.
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  topic        text NOT NULL,
  key          text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor_id   uuid,
  action     text NOT NULL,
  store_id   uuid,
  ip         text,
  details    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Refresh tokens are stored hashed; `family_id` ties the rotations of one
-- login together so that a replayed token can revoke them all.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id   uuid NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  device_id   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
