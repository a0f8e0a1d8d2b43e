-- A guest who signs up with an e-mail address is sent a link to confirm it. The account
-- records when the address it holds was confirmed (NULL: not yet); a link is kept as the
-- SHA-256 digest of its token, with the address it confirms, so a link for an address the
-- account no longer holds confirms nothing.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
CREATE TABLE email_verifications (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    email      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX email_verifications_by_user ON email_verifications (user_id);
