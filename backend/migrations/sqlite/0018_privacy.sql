-- A guest's data erased on request. An invoice keeps the name and address it was issued to
-- (the law keeps invoices for years), written when it is issued.
ALTER TABLE invoices ADD COLUMN recipient TEXT;

-- Nobody edits history, except an erasure taking a guest's name out of it: the erasing
-- transaction puts a row here while it rewrites the entries that name the guest, and takes it
-- out before it commits, so nobody else ever sees one.
CREATE TABLE audit_erasures (id INTEGER PRIMARY KEY);
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_erasures)
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
