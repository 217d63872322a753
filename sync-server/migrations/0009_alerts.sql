-- The alerts worker's tables (workers/src/alerts, issue 10).

-- What the worker knows of each store's product: the stock after its latest
-- movement and the reorder level of its latest edit, each with the version it
-- came with, so events from two topics, in any order between them, converge.
CREATE TABLE alert_stock (
  store_id       uuid NOT NULL REFERENCES stores (id),
  product_id     uuid NOT NULL REFERENCES products (id),
  quantity_milli bigint NOT NULL DEFAULT 0,
  version        integer NOT NULL DEFAULT -1,
  reorder_milli  bigint,
  level_version  integer NOT NULL DEFAULT -1,
  PRIMARY KEY (store_id, product_id)
);

-- One open alert per store, product and kind, until it clears by itself.
CREATE TABLE alerts (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id   uuid NOT NULL REFERENCES stores (id),
  product_id uuid REFERENCES products (id),
  kind       text NOT NULL CHECK (kind IN ('low_stock', 'negative_stock', 'count_mismatch', 'store_silent')),
  opened_at  timestamptz NOT NULL,
  cleared_at timestamptz,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX alerts_one_open ON alerts (store_id, coalesce(product_id, '00000000-0000-0000-0000-000000000000'::uuid), kind) WHERE cleared_at IS NULL;
CREATE INDEX alerts_store ON alerts (store_id, opened_at DESC);
