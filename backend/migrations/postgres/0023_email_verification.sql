-- A guest who signs up with an e-mail address is sent a link to confirm it. The account
-- records when the address it holds was confirmed (NULL: not yet); a link is kept as the
-- SHA-256 digest of its token, with the address it confirms, so a link for an address the
-- account no longer holds confirms nothing.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
CREATE TABLE email_verifications (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    email      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX email_verifications_by_user ON email_verifications (user_id);
