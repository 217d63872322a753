-- Alerts delivered to a configured webhook (workers/src/alerts/webhook.ts):
-- written in the transaction that opens or clears the alert, sent after it
-- with retries and back-off, signed; kept when delivered or given up.
CREATE TABLE alert_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id        uuid NOT NULL REFERENCES alerts (id),
  event           text NOT NULL CHECK (event IN ('opened', 'cleared')),
  payload         jsonb NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  delivered_at    timestamptz,
  given_up_at     timestamptz
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
