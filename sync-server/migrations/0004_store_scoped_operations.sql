-- Operation ids are scoped by store (SPEC.md R11). The id stays unique
-- across stores for every operation but the refusals that say so
-- (`duplicate_id`): a second store pushing an id already taken gets a row
-- of its own, refused, that it pulls like any refusal. Rows that point at an
-- operation name its store too, so no lookup can reach another store's row.

ALTER TABLE operations DROP CONSTRAINT operations_pkey CASCADE;
ALTER TABLE operations ADD PRIMARY KEY (store_id, id);
-- Looked up by id alone only to find ids another store holds.
CREATE UNIQUE INDEX operations_id_once ON operations (id) WHERE reason IS DISTINCT FROM 'duplicate_id';

ALTER TABLE movements ADD FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id);
ALTER TABLE sales ADD FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id);
ALTER TABLE purchases ADD FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id);

ALTER TABLE rejected_operations DROP CONSTRAINT rejected_operations_pkey;
ALTER TABLE rejected_operations ADD PRIMARY KEY (store_id, operation_id);
ALTER TABLE rejected_operations ADD FOREIGN KEY (store_id, operation_id) REFERENCES operations (store_id, id);

-- What people decide is kept on the operation (R9, operations.resolution); these were never written.
ALTER TABLE rejected_operations DROP COLUMN resolution, DROP COLUMN resolved_at;
