-- A product retired from the catalog is no longer offered for sale, but it
-- keeps its row: its sales, movements and reports still name it (issue 11).
-- Devices pull it with `retired` (protocol 3); `deleted` stays for removal.
ALTER TABLE products ADD COLUMN retired_at timestamptz;
