-- Events the broker refused for good (too large, or refused by a policy):
-- moved here with the broker's error so the relay carries on with every
-- other event, in order. Kept for people to inspect and replay by hand.
CREATE TABLE outbox_dead_letters (
  outbox_id  bigint PRIMARY KEY,
  event_id   uuid NOT NULL,
  topic      text NOT NULL,
  key        text NOT NULL,
  payload    jsonb NOT NULL,
  bytes      integer NOT NULL,
  error      text NOT NULL,
  failed_at  timestamptz NOT NULL DEFAULT now()
);
