-- The workers' own tables hold what they derived from events the server had
-- already checked against stores and products (and can rebuild from the
-- movements log): a foreign key there checks the same thing again on every
-- row, and was a third of the projector's time (bench:workers). The tables
-- devices read (alerts, alert_deliveries) keep theirs.
ALTER TABLE report_costs DROP CONSTRAINT IF EXISTS report_costs_store_id_fkey, DROP CONSTRAINT IF EXISTS report_costs_product_id_fkey;
ALTER TABLE report_sales DROP CONSTRAINT IF EXISTS report_sales_store_id_fkey, DROP CONSTRAINT IF EXISTS report_sales_product_id_fkey;
ALTER TABLE report_store_activity DROP CONSTRAINT IF EXISTS report_store_activity_store_id_fkey;
ALTER TABLE alert_stock DROP CONSTRAINT IF EXISTS alert_stock_store_id_fkey, DROP CONSTRAINT IF EXISTS alert_stock_product_id_fkey;
ALTER TABLE alert_store_activity DROP CONSTRAINT IF EXISTS alert_store_activity_store_id_fkey;
ALTER TABLE replenishment_stock DROP CONSTRAINT IF EXISTS replenishment_stock_store_id_fkey, DROP CONSTRAINT IF EXISTS replenishment_stock_product_id_fkey;
ALTER TABLE replenishment_daily DROP CONSTRAINT IF EXISTS replenishment_daily_store_id_fkey, DROP CONSTRAINT IF EXISTS replenishment_daily_product_id_fkey;
ALTER TABLE replenishment_suggestions DROP CONSTRAINT IF EXISTS replenishment_suggestions_store_id_fkey, DROP CONSTRAINT IF EXISTS replenishment_suggestions_product_id_fkey;
