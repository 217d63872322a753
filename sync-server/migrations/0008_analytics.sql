-- The analytics projector's tables (workers/src/analytics, issue 10). They are
-- projections: built from the movement events, rebuilt from the movements log.

-- Days in reports are the store's local days.
ALTER TABLE stores ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Karachi';

-- The events each worker (consumer) has applied. An event's id is recorded in
-- the same transaction as its effect, so a redelivered event changes nothing.
CREATE TABLE processed_events (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Events a worker could not apply after its retries (the in-process runner's
-- dead letters; on Kafka they go to the workers.dead-letters topic as well).
CREATE TABLE worker_dead_letters (
  consumer  text NOT NULL,
  event_id  uuid,
  topic     text NOT NULL,
  payload   jsonb,
  error     text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);

-- Moving-average cost of what each store holds of a product: the cost basis
-- (paisa) of `on_hand_milli` thousandths, from purchases; sales take out at
-- the average. Unknown (0 basis) until a purchase gave a cost.
CREATE TABLE report_costs (
  store_id      uuid NOT NULL REFERENCES stores (id),
  product_id    uuid NOT NULL REFERENCES products (id),
  on_hand_milli bigint NOT NULL DEFAULT 0,
  basis_paisa   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, product_id)
);

-- Sales by store, local day and hour, and product. `tickets` counts a sale
-- once (on its first line), `sales` counts the sales a product was in.
CREATE TABLE report_sales (
  store_id             uuid NOT NULL REFERENCES stores (id),
  day                  date NOT NULL,
  hour                 smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  product_id           uuid NOT NULL REFERENCES products (id),
  tickets              integer NOT NULL DEFAULT 0,
  sales                integer NOT NULL DEFAULT 0,
  units_milli          bigint NOT NULL DEFAULT 0,
  revenue_paisa        bigint NOT NULL DEFAULT 0,
  cash_paisa           bigint NOT NULL DEFAULT 0,
  credit_paisa         bigint NOT NULL DEFAULT 0,
  -- Of the revenue, what came from units whose cost was known, and that cost.
  costed_revenue_paisa bigint NOT NULL DEFAULT 0,
  cost_paisa           bigint NOT NULL DEFAULT 0,
  return_tickets       integer NOT NULL DEFAULT 0,
  returned_milli       bigint NOT NULL DEFAULT 0,
  refunds_paisa        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, day, hour, product_id)
);
CREATE INDEX report_sales_day ON report_sales (day, store_id);

-- When each store's last event reached the server (its last sync), and the
-- server time the projection reflects.
CREATE TABLE report_store_activity (
  store_id      uuid PRIMARY KEY REFERENCES stores (id),
  last_event_at timestamptz NOT NULL,
  projected_at  timestamptz NOT NULL DEFAULT now()
);
