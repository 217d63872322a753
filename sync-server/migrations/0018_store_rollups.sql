-- The analytics projector's sums per store and local hour, and per store and
-- local day, beside report_sales (issue 11): dashboards across thousands of
-- stores read a row per store-hour or store-day instead of one per product.
-- Projections like report_sales: rebuilt with it, no foreign keys (0016).
CREATE TABLE report_store_hours (
  store_id             uuid NOT NULL,
  day                  date NOT NULL,
  hour                 smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  tickets              integer NOT NULL DEFAULT 0,
  units_milli          bigint NOT NULL DEFAULT 0,
  revenue_paisa        bigint NOT NULL DEFAULT 0,
  cash_paisa           bigint NOT NULL DEFAULT 0,
  credit_paisa         bigint NOT NULL DEFAULT 0,
  costed_revenue_paisa bigint NOT NULL DEFAULT 0,
  cost_paisa           bigint NOT NULL DEFAULT 0,
  return_tickets       integer NOT NULL DEFAULT 0,
  returned_milli       bigint NOT NULL DEFAULT 0,
  refunds_paisa        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, day, hour)
);
CREATE TABLE report_store_days (LIKE report_store_hours INCLUDING DEFAULTS);
ALTER TABLE report_store_days DROP COLUMN hour, ADD PRIMARY KEY (store_id, day);
-- A few stores read by their keys; all of a region's or every store's by the
-- days of the period, in the order the rows were written (day by day).
CREATE INDEX report_store_hours_day ON report_store_hours (day, store_id, hour);
CREATE INDEX report_store_days_day ON report_store_days (day, store_id);

INSERT INTO report_store_hours
SELECT store_id, day, hour, sum(tickets), sum(units_milli), sum(revenue_paisa), sum(cash_paisa), sum(credit_paisa),
       sum(costed_revenue_paisa), sum(cost_paisa), sum(return_tickets), sum(returned_milli), sum(refunds_paisa)
  FROM report_sales GROUP BY store_id, day, hour;
INSERT INTO report_store_days
SELECT store_id, day, sum(tickets), sum(units_milli), sum(revenue_paisa), sum(cash_paisa), sum(credit_paisa),
       sum(costed_revenue_paisa), sum(cost_paisa), sum(return_tickets), sum(returned_milli), sum(refunds_paisa)
  FROM report_store_hours GROUP BY store_id, day;
