-- The server keeps the rooms held each night in memory (store/night_index.rs): read from
-- room_nights at start, and changed by triggers the server creates on its own connection
-- (TEMP, so not in this file) on every row it writes.
-- night_rooms and its triggers cost each booking and each cancellation an upsert or an update
-- per room-night, a third of the writer's work; only one server writes a SQLite file, so
-- nobody else needs them.
DROP TRIGGER night_rooms_take;
DROP TRIGGER night_rooms_free;
DROP TRIGGER night_rooms_move;
DROP TABLE night_rooms;

-- A CHECK of `status IN (three values)` builds a temporary table of the values each time a
-- booking is inserted or its status changes (SQLite does so for an IN list of more than two),
-- a b-tree and two zeroed pages: an eighth of the writer's instructions per booking and
-- cancellation. The same rule as ORed comparisons costs three. SQLite cannot change a CHECK in
-- place, so the table is rebuilt as its documentation describes (as 0007 did for users).
CREATE TABLE bookings_new (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    room          INTEGER NOT NULL REFERENCES rooms (number),
    check_in      TEXT NOT NULL,
    check_out     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'booked'
                  CHECK (status = 'booked' OR status = 'checked_out' OR status = 'cancelled'),
    -- Order in which the guest acquired the room; a room moved in later counts as acquired then.
    acquired      INTEGER NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    guests        INTEGER NOT NULL DEFAULT 1,
    rate          INTEGER NOT NULL DEFAULT 0,
    checked_in_at TEXT,
    reference     TEXT NOT NULL DEFAULT '',
    adjustment    INTEGER NOT NULL DEFAULT 0,
    no_show       INTEGER NOT NULL DEFAULT 0,
    rate_plan_id  INTEGER REFERENCES rate_plans (id),
    prices        TEXT,
    terms_json    TEXT,
    CHECK (check_out > check_in)
);
INSERT INTO bookings_new (id, user_id, room, check_in, check_out, status, acquired, created_at,
        guests, rate, checked_in_at, reference, adjustment, no_show, rate_plan_id, prices, terms_json)
    SELECT id, user_id, room, check_in, check_out, status, acquired, created_at,
        guests, rate, checked_in_at, reference, adjustment, no_show, rate_plan_id, prices, terms_json
    FROM bookings;
DROP TABLE bookings;
ALTER TABLE bookings_new RENAME TO bookings;
CREATE INDEX bookings_active ON bookings (user_id, acquired) WHERE status = 'booked';
CREATE INDEX bookings_in_house ON bookings (id) WHERE status = 'booked' AND checked_in_at IS NOT NULL;
