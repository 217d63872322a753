-- The workers' processed event ids are kept only as long as an event can be
-- delivered again (workers/src/runtime/processed.ts). BRIN: the ids are
-- written in time order, so a block range index finds the old ones at a
-- fraction of a b-tree's cost on the projector's hot path.
CREATE INDEX processed_events_age ON processed_events USING brin (processed_at);
