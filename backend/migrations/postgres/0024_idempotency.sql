-- A change sent with an `Idempotency-Key` claims the key in the change's own transaction, so
-- a retry never does the work twice; the answer is kept beside the claim once written. Keys
-- are per caller (`scope`: the SHA-256 digest of the credential the request carried, never
-- the credential) and kept 24 hours. `fingerprint` is the digest of the method, the path and
-- the body, so the same key with another request is told apart.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         TEXT,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
