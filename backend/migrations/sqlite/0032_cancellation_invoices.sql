-- An issued invoice is never changed: a correction is a cancellation invoice (Stornorechnung)
-- with its own number that reverses it (`cancels` names the one it reverses, which is then
-- `cancelled`), and then a new invoice. A stay may so have several; at most one is current
-- (neither a cancellation nor cancelled). SQLite's recipe rebuilds the table to drop the one
-- invoice per booking.
CREATE TABLE invoices_new (
    id               INTEGER PRIMARY KEY,
    booking_id       INTEGER NOT NULL REFERENCES bookings (id),
    year             INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    issued_on        TEXT NOT NULL,
    total            INTEGER NOT NULL,
    -- The bill as issued: what the invoice shows forever, whatever is posted later.
    lines_json       TEXT NOT NULL,
    recipient        TEXT,
    supplier_json    TEXT,
    recipient_vat_id TEXT,
    cancels          INTEGER UNIQUE REFERENCES invoices (id),
    cancelled        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (year, number)
);
INSERT INTO invoices_new (id, booking_id, year, number, issued_on, total, lines_json, recipient,
                          supplier_json, recipient_vat_id)
    SELECT id, booking_id, year, number, issued_on, total, lines_json, recipient, supplier_json,
           recipient_vat_id FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_booking ON invoices (booking_id);
CREATE UNIQUE INDEX invoices_current ON invoices (booking_id) WHERE cancels IS NULL AND cancelled = 0;
