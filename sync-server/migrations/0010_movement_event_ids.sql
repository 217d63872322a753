-- Each movement keeps the id of the event it was published as (issue 10), so
-- a projection rebuilt from this log records the same event ids as the live
-- workers did, and an event delivered after the rebuild is still applied once.
-- Movements from before this column have none; their events went out long ago.
ALTER TABLE movements ADD COLUMN event_id uuid;
