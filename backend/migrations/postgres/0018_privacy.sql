-- A guest's data erased on request. An invoice keeps the name and address it was issued to
-- (the law keeps invoices for years), written when it is issued.
ALTER TABLE invoices ADD COLUMN recipient TEXT;

-- Nobody edits history, except an erasure taking a guest's name out of it: the erasing
-- transaction puts a row here while it rewrites the entries that name the guest, and takes it
-- out before it commits, so no other transaction ever sees one.
CREATE TABLE audit_erasures (id BIGINT PRIMARY KEY);
CREATE OR REPLACE FUNCTION audit_log_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_erasures) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log cannot be changed';
END
$$;
