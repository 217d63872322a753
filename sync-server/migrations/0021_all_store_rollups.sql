-- Rollups for every store at once (issue 11: an admin's dashboard across all
-- 5,000 stores within 200 ms). Keyed by the stores' time zone, so each
-- store's "today" is still its own local day, and by nothing an admin edits:
-- moving a store to another region changes no row here. A store's sales stay
-- under the zone they were projected in, as report_sales keeps its days.
--
-- Every analytics consumer adds to the same few rows, so each is split into
-- 8 shards by store (the id's 4th byte): consumers of different stores rarely
-- wait on one row, and a read sums a few thousand rows at most.
-- Projections: rebuilt with report_sales, no foreign keys (0016).
CREATE TABLE report_zone_hours (
  day                  date NOT NULL,
  time_zone            text NOT NULL,
  hour                 smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  shard                smallint NOT NULL CHECK (shard BETWEEN 0 AND 7),
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
  PRIMARY KEY (day, time_zone, hour, shard)
);

-- What every store sold of each product a local day: the top and slow
-- products across all stores.
CREATE TABLE report_zone_products (
  day                  date NOT NULL,
  time_zone            text NOT NULL,
  product_id           uuid NOT NULL,
  shard                smallint NOT NULL CHECK (shard BETWEEN 0 AND 7),
  units_milli          bigint NOT NULL DEFAULT 0,
  revenue_paisa        bigint NOT NULL DEFAULT 0,
  costed_revenue_paisa bigint NOT NULL DEFAULT 0,
  cost_paisa           bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, time_zone, product_id, shard)
);

-- What all stores hold of each product (the projector's on-hand, as in
-- report_costs) and how many hold some.
CREATE TABLE report_product_holdings (
  product_id    uuid NOT NULL,
  shard         smallint NOT NULL CHECK (shard BETWEEN 0 AND 7),
  on_hand_milli bigint NOT NULL DEFAULT 0,
  stores        integer NOT NULL DEFAULT 0,
  PRIMARY KEY (product_id, shard)
);

-- What each store holds at cost (report_costs summed), beside its last event:
-- the stores table's stock value without reading every store product.
ALTER TABLE report_store_activity ADD COLUMN stock_basis_paisa bigint NOT NULL DEFAULT 0;
UPDATE report_store_activity a SET stock_basis_paisa = c.basis
  FROM (SELECT store_id, sum(basis_paisa) AS basis FROM report_costs GROUP BY 1) c
 WHERE c.store_id = a.store_id;

-- Each store-day's revenue hour by hour (index 1 is 00:00-00:59 local): the
-- stores table sets today against yesterday until this hour from one row a
-- store instead of one a store and hour.
ALTER TABLE report_store_days ADD COLUMN revenue_hours bigint[] NOT NULL DEFAULT array_fill(0::bigint, ARRAY[24]);
UPDATE report_store_days d SET revenue_hours = h.hours
  FROM (SELECT r.store_id, r.day, array_agg(coalesce(x.revenue_paisa, 0) ORDER BY g) AS hours
          FROM (SELECT DISTINCT store_id, day FROM report_store_hours) r CROSS JOIN generate_series(0, 23) g
          LEFT JOIN report_store_hours x ON x.store_id = r.store_id AND x.day = r.day AND x.hour = g
         GROUP BY 1, 2) h
 WHERE h.store_id = d.store_id AND h.day = d.day;

INSERT INTO report_zone_hours
SELECT r.day, s.time_zone, r.hour, get_byte(uuid_send(r.store_id), 3) % 8,
       sum(tickets), sum(units_milli), sum(revenue_paisa), sum(cash_paisa), sum(credit_paisa),
       sum(costed_revenue_paisa), sum(cost_paisa), sum(return_tickets), sum(returned_milli), sum(refunds_paisa)
  FROM report_store_hours r JOIN stores s ON s.id = r.store_id
 GROUP BY 1, 2, 3, 4;
INSERT INTO report_zone_products
SELECT r.day, s.time_zone, r.product_id, get_byte(uuid_send(r.store_id), 3) % 8,
       sum(units_milli), sum(revenue_paisa), sum(costed_revenue_paisa), sum(cost_paisa)
  FROM report_sales r JOIN stores s ON s.id = r.store_id
 GROUP BY 1, 2, 3, 4;
INSERT INTO report_product_holdings
SELECT product_id, get_byte(uuid_send(store_id), 3) % 8, sum(on_hand_milli), count(*) FILTER (WHERE on_hand_milli > 0)
  FROM report_costs
 GROUP BY 1, 2;

-- Every store's suggested orders, most needed first (the dashboard's table
-- across all stores reads the first few needs, not six figures of rows).
CREATE INDEX replenishment_suggestions_needed ON replenishment_suggestions (suggested_quantity DESC) WHERE suggested_quantity > 0;
