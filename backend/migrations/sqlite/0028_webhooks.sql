-- Webhooks: addresses the hotel posts its events to, in order. `delivered_through` is the
-- position of the last event delivered (or not wanted); a failed delivery keeps it, and the
-- event is tried again at `next_attempt_at`, so later events wait their turn. An instance
-- delivering to a webhook holds it until `lease_until`, so two never post at once. The secret
-- is kept as given: signing needs it. Times are unix seconds.
CREATE TABLE webhooks (
    id                INTEGER PRIMARY KEY,
    url               TEXT NOT NULL,
    events            TEXT NOT NULL,
    secret            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    created_by        TEXT NOT NULL,
    delivered_through INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    failing_since     INTEGER,
    next_attempt_at   INTEGER NOT NULL DEFAULT 0,
    lease_until       INTEGER NOT NULL DEFAULT 0,
    paused_at         INTEGER,
    last_error        TEXT,
    last_success_at   INTEGER,
    -- Counts staff's resumes: a turn that began before one leaves where it stands alone.
    resumes           INTEGER NOT NULL DEFAULT 0
);

-- Each try of each event, kept 30 days.
CREATE TABLE webhook_deliveries (
    id         INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL,
    event_id   INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    at         INTEGER NOT NULL,
    attempt    INTEGER NOT NULL,
    status     INTEGER,
    error      TEXT,
    millis     INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (at);
