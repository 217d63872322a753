-- When the alerts worker last heard from each store: a store with no event for
-- a day is `store_silent` (a timer opens it, the store's next event clears it).
CREATE TABLE alert_store_activity (
  store_id      uuid PRIMARY KEY REFERENCES stores (id),
  last_event_at timestamptz NOT NULL
);
