-- Returns against their sale (SPEC.md R12): a push finds what a sale has
-- already had returned without reading the store's whole sales history.
CREATE INDEX sales_return_of ON sales (store_id, return_of) WHERE return_of IS NOT NULL;
