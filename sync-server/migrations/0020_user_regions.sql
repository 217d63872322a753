-- A manager may watch whole regions: every store in them, present and future
-- (issue 11). Their token's stores are those assigned one by one plus those
-- of their regions, read when it is issued or refreshed.
CREATE TABLE user_regions (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  region  text NOT NULL,
  PRIMARY KEY (user_id, region)
);
CREATE INDEX user_regions_region ON user_regions (region);
