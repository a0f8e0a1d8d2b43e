-- Keys for programs. Only a SHA-256 digest of each key is kept, as for sessions; `scopes`
-- holds the scope words separated by spaces. A revoked key's row stays, so the audit log's
-- name for it keeps meaning something. Times are unix seconds.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE,
    ends_with    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
