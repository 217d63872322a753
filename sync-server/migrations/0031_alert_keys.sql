-- Alerts are keyed by their store first, like every other table of a store's
-- rows (0030, README "Scaling out"), so a sharded PostgreSQL can keep a
-- store's alerts on its node. Webhook deliveries are a queue drained across
-- all stores and stay on the coordinator; each carries the alert it
-- announces in its payload, so it no longer needs a key into `alerts`.

ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_alert_id_fkey;
ALTER TABLE alerts DROP CONSTRAINT alerts_pkey;
ALTER TABLE alerts ADD PRIMARY KEY (store_id, id);
