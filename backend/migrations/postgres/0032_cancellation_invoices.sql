-- An issued invoice is never changed: a correction is a cancellation invoice (Stornorechnung)
-- with its own number that reverses it (`cancels` names the one it reverses, which is then
-- `cancelled`), and then a new invoice. A stay may so have several; at most one is current
-- (neither a cancellation nor cancelled).
ALTER TABLE invoices DROP CONSTRAINT invoices_booking_id_key;
ALTER TABLE invoices ADD COLUMN cancels BIGINT UNIQUE REFERENCES invoices (id);
ALTER TABLE invoices ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX invoices_booking ON invoices (booking_id);
CREATE UNIQUE INDEX invoices_current ON invoices (booking_id) WHERE cancels IS NULL AND cancelled = 0;
