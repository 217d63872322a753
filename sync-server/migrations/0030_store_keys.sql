-- Every table a push writes, and every projection of what it writes, is keyed
-- by its store first (issue 13): a distributed PostgreSQL (Citus) can then
-- place each store's rows on one shard by `store_id`, and a push, which
-- touches one store, runs on that shard alone. Operation ids are scoped by
-- store (SPEC.md R11): the same id in two stores is two operations, so
-- nothing looks an id up across stores any more.

DROP INDEX operations_id_once;

ALTER TABLE movements DROP CONSTRAINT movements_pkey;
ALTER TABLE movements ADD PRIMARY KEY (store_id, id);
ALTER TABLE movements DROP CONSTRAINT movements_operation_id_line_no_key;
ALTER TABLE movements ADD UNIQUE (store_id, operation_id, line_no);

ALTER TABLE sales DROP CONSTRAINT sales_pkey;
ALTER TABLE sales ADD PRIMARY KEY (store_id, operation_id);
ALTER TABLE purchases DROP CONSTRAINT purchases_pkey;
ALTER TABLE purchases ADD PRIMARY KEY (store_id, operation_id);

-- Lines name their store too; until now an operation id found it.
ALTER TABLE sale_lines ADD COLUMN store_id uuid;
UPDATE sale_lines l SET store_id = s.store_id FROM sales s WHERE s.operation_id = l.operation_id;
ALTER TABLE sale_lines ALTER COLUMN store_id SET NOT NULL;
ALTER TABLE sale_lines DROP CONSTRAINT sale_lines_pkey;
ALTER TABLE sale_lines ADD PRIMARY KEY (store_id, operation_id, line_no);

ALTER TABLE purchase_lines ADD COLUMN store_id uuid;
UPDATE purchase_lines l SET store_id = p.store_id FROM purchases p WHERE p.operation_id = l.operation_id;
ALTER TABLE purchase_lines ALTER COLUMN store_id SET NOT NULL;
ALTER TABLE purchase_lines DROP CONSTRAINT purchase_lines_pkey;
ALTER TABLE purchase_lines ADD PRIMARY KEY (store_id, operation_id, line_no);
