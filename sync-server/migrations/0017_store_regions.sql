-- Stores belong to a region (a province or a sales area), which dashboards
-- filter by (issue 11). Null until an admin sets it.
ALTER TABLE stores ADD COLUMN region text;
CREATE INDEX stores_region ON stores (region, id);
-- Open alerts across many stores, oldest first (the dashboards' alerts table).
CREATE INDEX alerts_open ON alerts (store_id, opened_at) WHERE cleared_at IS NULL;
