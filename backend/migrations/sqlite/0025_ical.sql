-- Calendar sync with the booking sites.
--
-- Export: a room's or a room type's calendar lives at an address with a secret part derived
-- from this key (`domain::channels::export_secret`) and the times its address was replaced
-- (`ical_exports`), so no address is stored; a new key would replace them all.
INSERT INTO settings (name, value) VALUES ('ical_key', lower(hex(randomblob(32))));
CREATE TABLE ical_exports (
    kind       TEXT NOT NULL,
    target     INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (kind, target)
) WITHOUT ROWID;

-- Import: booking sites' calendar feeds a room reads. Each event becomes a row of
-- room_blocks with the feed and its UID; the last good sync's blocks stay while a feed fails.
-- Times are unix seconds.
CREATE TABLE ical_feeds (
    id            INTEGER PRIMARY KEY,
    room          INTEGER NOT NULL REFERENCES rooms (number),
    url           TEXT NOT NULL,
    added_at      INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    attempted_at  INTEGER,
    synced_at     INTEGER,
    error         TEXT,
    UNIQUE (room, url)
);
ALTER TABLE room_blocks ADD COLUMN feed_id INTEGER REFERENCES ical_feeds (id);
ALTER TABLE room_blocks ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX room_blocks_by_feed ON room_blocks (feed_id, uid) WHERE feed_id IS NOT NULL;
-- Which rooms are blocked on some nights, asked by every booking: with imported stays the
-- table holds thousands of rows, and past ones are skipped by their end.
CREATE INDEX room_blocks_by_end ON room_blocks (end_date);

-- Each sync of a feed, kept 30 days.
CREATE TABLE ical_syncs (
    id        INTEGER PRIMARY KEY,
    feed_id   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    ok        INTEGER NOT NULL,
    detail    TEXT NOT NULL,
    added     INTEGER NOT NULL,
    changed   INTEGER NOT NULL,
    removed   INTEGER NOT NULL,
    conflicts INTEGER NOT NULL
);
CREATE INDEX ical_syncs_by_feed ON ical_syncs (feed_id, id);
