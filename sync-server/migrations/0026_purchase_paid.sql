-- How a purchase was paid (protocol 6): from the drawer, owed to the supplier,
-- or from elsewhere. Null for purchases recorded before it was asked.
ALTER TABLE purchases ADD COLUMN paid text CHECK (paid IN ('drawer', 'owed', 'elsewhere'));
CREATE INDEX purchases_owed ON purchases (store_id, supplier) WHERE paid = 'owed';
