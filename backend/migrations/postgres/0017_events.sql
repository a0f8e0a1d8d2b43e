-- What happened, for whoever acts on it after the commit (mail, webhooks, the feed): one row
-- per audit entry, written in the same transaction, holding the entry's id and the event's
-- position. Positions follow commit order (`store/ops/events.rs`): SQLite gives one at insert,
-- its writes taking turns; PostgreSQL's are given after commit. The newest placed event is
-- never deleted, so positions never go back.
CREATE TABLE events (
    id       BIGSERIAL PRIMARY KEY,
    position BIGINT,
    audit_id BIGINT NOT NULL
);
CREATE UNIQUE INDEX events_by_position ON events (position) WHERE position IS NOT NULL;
CREATE INDEX events_unplaced ON events (id) WHERE position IS NULL;
