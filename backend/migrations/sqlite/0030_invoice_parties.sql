-- What the law asks an invoice to name besides the guest, kept as issued: the hotel's legal
-- name, address, tax number and VAT id (JSON), and a company recipient's VAT id.
ALTER TABLE invoices ADD COLUMN supplier_json TEXT;
ALTER TABLE invoices ADD COLUMN recipient_vat_id TEXT;
