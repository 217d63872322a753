-- The replenishment worker's tables (workers/src/replenishment, issue 10).

-- Its own copy of each store product's stock and reorder level (as alert_stock).
CREATE TABLE replenishment_stock (
  store_id       uuid NOT NULL REFERENCES stores (id),
  product_id     uuid NOT NULL REFERENCES products (id),
  quantity_milli bigint NOT NULL DEFAULT 0,
  version        integer NOT NULL DEFAULT -1,
  reorder_milli  bigint,
  level_version  integer NOT NULL DEFAULT -1,
  PRIMARY KEY (store_id, product_id)
);

-- Units sold less units returned, per store product and local day.
CREATE TABLE replenishment_daily (
  store_id    uuid NOT NULL REFERENCES stores (id),
  product_id  uuid NOT NULL REFERENCES products (id),
  day         date NOT NULL,
  units_milli bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, product_id, day)
);

-- The latest suggestion for each store product, with the numbers behind it.
CREATE TABLE replenishment_suggestions (
  store_id           uuid NOT NULL REFERENCES stores (id),
  product_id         uuid NOT NULL REFERENCES products (id),
  as_of              date NOT NULL,
  on_hand            numeric(14,3) NOT NULL,
  reorder_level      numeric(14,3),
  daily_velocity     numeric(14,3) NOT NULL,
  lead_time_days     integer NOT NULL,
  suggested_quantity numeric(14,3) NOT NULL,
  basis              jsonb NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, product_id)
);
