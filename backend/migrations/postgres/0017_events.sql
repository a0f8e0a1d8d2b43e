-- What happened, for whoever acts on it after the commit (mail, webhooks, the feed). An op
-- writes its event in the same transaction as its audit entry; `position` is given later,
-- in commit order, by the sequencer (`store/ops/events.rs`), and readers read by position.
CREATE TABLE events (
    id        BIGSERIAL PRIMARY KEY,
    position  BIGINT,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    data      TEXT
);
CREATE UNIQUE INDEX events_by_position ON events (position) WHERE position IS NOT NULL;
CREATE INDEX events_unplaced ON events (id) WHERE position IS NULL;
-- The last position given: never goes back, even when old events are tidied away.
CREATE TABLE event_positions (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO event_positions (id, last) VALUES (1, 0);
