-- Sessions and devices for token revocation (issue: auth at the gateway).
--
-- A refresh token family is one login session on one device; revoking it
-- (logout, reuse of a rotated token, device revoked) ends the session.
ALTER TABLE refresh_tokens ADD COLUMN replaced_by uuid;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_device ON refresh_tokens (device_id) WHERE device_id IS NOT NULL;

-- Devices that signed in; an owner may revoke one, which ends its sync for good.
CREATE TABLE devices (
  id            text PRIMARY KEY,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  user_agent    text,
  revoked_at    timestamptz,
  revoked_by    uuid REFERENCES users (id) ON DELETE SET NULL
);
