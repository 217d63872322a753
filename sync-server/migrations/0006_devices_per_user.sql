-- Devices belong to users (issue 9). A device id is chosen by the device, so
-- it is only ever an id *of a user's*: the key is (user, device). A device id
-- that two users sign in with is two rows, and revoking one (an owner's
-- shopkeeper on that phone) leaves the other user signed in.
CREATE TABLE user_devices (
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id     text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  user_agent    text,
  revoked_at    timestamptz,
  revoked_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (user_id, device_id)
);

-- Each user who signed in with a device keeps it, revoked as it was.
INSERT INTO user_devices (user_id, device_id, first_seen_at, last_seen_at, user_agent, revoked_at, revoked_by)
SELECT DISTINCT rt.user_id, d.id, d.first_seen_at, d.last_seen_at, d.user_agent, d.revoked_at, d.revoked_by
  FROM devices d JOIN refresh_tokens rt ON rt.device_id = d.id;

DROP TABLE devices;
ALTER TABLE user_devices RENAME TO devices;

-- A store's devices are found through its users, not by scanning refresh tokens.
CREATE INDEX user_stores_store ON user_stores (store_id);
-- Revoking a user's device ends the sessions of that pair.
DROP INDEX refresh_tokens_device;
CREATE INDEX refresh_tokens_user_device ON refresh_tokens (user_id, device_id) WHERE device_id IS NOT NULL;
-- Expired tokens are pruned (sessions-repository.ts, pruneRefreshTokens).
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
