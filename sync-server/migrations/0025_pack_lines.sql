-- Lines sold or bought by the pack (SPEC.md R13): quantity counts packs of
-- pack_size base units, the price is per pack. 1 for every line before them.
ALTER TABLE sale_lines ADD COLUMN pack_size integer NOT NULL DEFAULT 1 CHECK (pack_size >= 1);
ALTER TABLE purchase_lines ADD COLUMN pack_size integer NOT NULL DEFAULT 1 CHECK (pack_size >= 1);
