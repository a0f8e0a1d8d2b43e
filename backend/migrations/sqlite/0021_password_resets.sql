-- Links to set a new password ("Forgot password?"): only a SHA-256 digest of each token is
-- kept, each is good for an hour and once.
CREATE TABLE password_resets (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX password_resets_by_user ON password_resets (user_id);
