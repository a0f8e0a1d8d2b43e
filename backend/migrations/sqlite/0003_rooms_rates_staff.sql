-- Room types and rates, rooms with floors and service state, richer bookings, out-of-service
-- ranges and the audit log. Amounts are integers in the currency's minor unit.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE room_types (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    rate        INTEGER NOT NULL CHECK (rate >= 0),
    retired     INTEGER NOT NULL DEFAULT 0
);

-- Filled in at start-up for rooms from before room types (see the Seed operation).
ALTER TABLE rooms ADD COLUMN type_id INTEGER REFERENCES room_types (id);
ALTER TABLE rooms ADD COLUMN floor INTEGER NOT NULL DEFAULT 1;
-- The reason the room is out of service until further notice; NULL when in service.
ALTER TABLE rooms ADD COLUMN out_of_service TEXT;
ALTER TABLE rooms ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;

ALTER TABLE bookings ADD COLUMN guests INTEGER NOT NULL DEFAULT 1;
-- The nightly rate agreed when booking; later rate changes do not touch it.
ALTER TABLE bookings ADD COLUMN rate INTEGER NOT NULL DEFAULT 0;
-- Set when the guest checks in; a 'booked' stay with this set is checked in.
ALTER TABLE bookings ADD COLUMN checked_in_at TEXT;
-- No index on the stay dates: every booking would write one more page at a random place,
-- which cost a third of the booking rate under load, while staff searches by date scan a
-- small hotel's bookings in milliseconds. (PostgreSQL, for bigger hotels, has the index.)

-- A room out of service for nights start_date up to, not including, end_date.
CREATE TABLE room_blocks (
    id         INTEGER PRIMARY KEY,
    room       INTEGER NOT NULL REFERENCES rooms (number),
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    CHECK (end_date > start_date)
);
CREATE INDEX room_blocks_room ON room_blocks (room, end_date);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
-- Nobody edits history, not even through SQL.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
