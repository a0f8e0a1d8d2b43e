-- Webhooks: addresses the hotel posts its events to, in order. `delivered_through` is the
-- position of the last event delivered (or not wanted); a failed delivery keeps it, and the
-- event is tried again at `next_attempt_at`, so later events wait their turn. An instance
-- delivering to a webhook holds it until `lease_until`, so two never post at once. The secret
-- is kept as given: signing needs it. Times are unix seconds.
CREATE TABLE webhooks (
    id                BIGSERIAL PRIMARY KEY,
    url               TEXT NOT NULL,
    events            TEXT NOT NULL,
    secret            TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    created_by        TEXT NOT NULL,
    delivered_through BIGINT NOT NULL,
    attempts          BIGINT NOT NULL DEFAULT 0,
    failing_since     BIGINT,
    next_attempt_at   BIGINT NOT NULL DEFAULT 0,
    lease_until       BIGINT NOT NULL DEFAULT 0,
    paused_at         BIGINT,
    last_error        TEXT,
    last_success_at   BIGINT,
    -- Counts staff's resumes: a turn that began before one leaves where it stands alone.
    resumes           BIGINT NOT NULL DEFAULT 0
);

-- Each try of each event, kept 30 days.
CREATE TABLE webhook_deliveries (
    id         BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL,
    event_id   BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    at         BIGINT NOT NULL,
    attempt    BIGINT NOT NULL,
    status     BIGINT,
    error      TEXT,
    millis     BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (at);
