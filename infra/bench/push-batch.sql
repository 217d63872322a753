-- pgbench baseline for one pushed batch of sales: the same round trips and the
-- same kind of SQL as sync-server/src/sync/push-repository.ts, without Node.
-- Run by sync-bench.ts as
--   pgbench -n -M extended -f push-batch.sql -D stores=N -D products=P -D ops=20 -D lines=2 -D user=<uuid>
-- against a database that has bench_store_map(n, id) and bench_product_map(n, id).
--
-- Round trips, as in pushOperations: BEGIN; one advisory lock for the store;
-- one read (existing operations, products, stock FOR UPDATE, history, store
-- products); one write CTE (operations with their place in the log,
-- movements, stock upsert); COMMIT. No events are written (the relay reads
-- them from the log), and no sales (the books worker projects them). The operations of a batch are derived from a
-- random seed, so both statements see the same ones.

\set s random(1, :stores)
\set seed random(1, 9000000000000000000)

BEGIN;

-- lockStore: a push takes its store's lock.
SELECT m.id AS store_id
  FROM bench_store_map m
  CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(hashtextextended('store:' || m.id::text, 0))) AS l
 WHERE m.n = :s::int \gset

-- loadBatch: the same five sub-results, aggregated to JSON, stock rows locked.
WITH ln AS (
  SELECT md5(:seed::bigint::text || '-' || o)::uuid AS op_id, o, l, pm.id AS product_id
    FROM generate_series(1, :ops::int) AS o
   CROSS JOIN generate_series(0, :lines::int - 1) AS l
    JOIN bench_product_map pm ON pm.n = 1 + (abs(hashtext(:seed::bigint::text || '-' || o)::bigint) + l) % :products::int
), existing AS (
  SELECT id, user_id, payload, status, discrepancy, reason, message, current, received_at, updated_at
    FROM operations WHERE store_id = :store_id::uuid AND id = ANY (ARRAY(SELECT op_id FROM ln))
), cells AS (
  SELECT s.store_id, s.product_id, (s.quantity * 1000)::float8 AS quantity, s.version
    FROM stock s
    JOIN (SELECT :store_id::uuid AS store_id, product_id FROM ln) AS k USING (store_id, product_id)
     FOR UPDATE OF s
), history AS (
  SELECT m.store_id, m.product_id, m.resulting_version AS version, (m.resulting_quantity * 1000)::float8 AS quantity
    FROM movements m JOIN unnest('{}'::uuid[], '{}'::uuid[], '{}'::int[]) AS k(store_id, product_id, version)
      ON m.store_id = k.store_id AND m.product_id = k.product_id AND m.resulting_version = k.version
), store_products AS (
  SELECT sp.store_id, sp.product_id, sp.price::float8 AS price, sp.reorder_level::float8 AS "reorderLevel", sp.active, sp.version
    FROM store_products sp JOIN unnest('{}'::uuid[], '{}'::uuid[]) AS k(store_id, product_id) USING (store_id, product_id)
)
SELECT (SELECT coalesce(json_agg(e), '[]') FROM existing e) AS existing,
       (SELECT coalesce(json_agg(p.id), '[]') FROM products p
         WHERE p.id = ANY (ARRAY(SELECT DISTINCT product_id FROM ln)) AND NOT p.deleted) AS products,
       (SELECT coalesce(json_agg(c), '[]') FROM cells c) AS stock,
       (SELECT coalesce(json_agg(h), '[]') FROM history h) AS history,
       (SELECT coalesce(json_agg(sp), '[]') FROM store_products sp) AS store_products \gset r_

-- writeBatch: one statement, one CTE per table, rows computed from the locked stock read above.
WITH ln AS (
  SELECT md5(:seed::bigint::text || '-' || o)::uuid AS op_id, o, l, pm.id AS product_id,
         1 + abs(hashtext(:seed::bigint::text || '/' || o || '/' || l)::bigint) % 3 AS qty
    FROM generate_series(1, :ops::int) AS o
   CROSS JOIN generate_series(0, :lines::int - 1) AS l
    JOIN bench_product_map pm ON pm.n = 1 + (abs(hashtext(:seed::bigint::text || '-' || o)::bigint) + l) % :products::int
), ctx AS (
  SELECT :store_id::uuid AS store_id, 'bench-device-' || :s::int AS device_id, :user::uuid AS user_id, now() AS at
), cur AS (
  SELECT DISTINCT ON (c.product_id) c.product_id, c.quantity::bigint AS quantity, c.version
    FROM jsonb_to_recordset(:r_stock::jsonb) AS c(store_id uuid, product_id uuid, quantity float8, version int)
), mvr AS (
  SELECT ln.op_id, ln.o, ln.l, ln.product_id, ln.qty,
         c.version + row_number() OVER w AS version,
         c.quantity - 1000 * sum(ln.qty) OVER w AS quantity
    FROM ln JOIN cur c USING (product_id)
  WINDOW w AS (PARTITION BY ln.product_id ORDER BY ln.o, ln.l)
), opr AS (
  SELECT op_id, o, jsonb_agg(jsonb_build_object('productId', product_id, 'quantity', qty, 'unitPrice', 100) ORDER BY l) AS lines
    FROM ln GROUP BY op_id, o
), ops AS (
  INSERT INTO operations (id, store_id, device_id, user_id, type, payload, status, discrepancy, reason, message, current, effect, created_at, log_seq)
  SELECT opr.op_id, ctx.store_id, ctx.device_id, ctx.user_id, 'sale',
         jsonb_build_object('id', opr.op_id, 'storeId', ctx.store_id, 'deviceId', ctx.device_id, 'createdAt', ctx.at,
                            'type', 'sale', 'lines', opr.lines, 'payment', jsonb_build_object('method', 'cash')),
         'applied', false, NULL, NULL, NULL, NULL, ctx.at, opr.o - 1
    FROM opr, ctx
), mv AS (
  INSERT INTO movements (operation_id, line_no, store_id, product_id, type, reason, delta, resulting_quantity,
                         resulting_version, base_version, discrepancy, device_id, user_id, client_time)
  SELECT mvr.op_id, mvr.l, ctx.store_id, mvr.product_id, 'sale', NULL, -mvr.qty, mvr.quantity / 1000.0,
         mvr.version, NULL, mvr.quantity < 0, ctx.device_id, ctx.user_id, ctx.at
    FROM mvr, ctx
)
INSERT INTO stock (store_id, product_id, quantity, version)
SELECT ctx.store_id, f.product_id, f.quantity / 1000.0, f.version
  FROM (SELECT DISTINCT ON (product_id) product_id, quantity, version FROM mvr ORDER BY product_id, version DESC) AS f, ctx
ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, version = EXCLUDED.version;

COMMIT;
