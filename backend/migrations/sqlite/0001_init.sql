-- Rooms are identified by their number, as guests know them.
CREATE TABLE rooms (
    number INTEGER PRIMARY KEY CHECK (number > 0)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    -- Argon2id in PHC string form: algorithm, parameters, salt and hash together.
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'guest' CHECK (role IN ('guest', 'staff')),
    created_at    TEXT NOT NULL
);

-- Only a SHA-256 digest of each token is kept: a copy of this table does not let anyone sign in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One row per room per stay. Dates are ISO days; check_out is the departure morning.
CREATE TABLE bookings (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    room       INTEGER NOT NULL REFERENCES rooms (number),
    check_in   TEXT NOT NULL,
    check_out  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'booked'
               CHECK (status IN ('booked', 'checked_out', 'cancelled')),
    -- Order in which the guest acquired the room; a room moved in later counts as acquired then.
    acquired   INTEGER NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    CHECK (check_out > check_in)
);
CREATE INDEX bookings_user ON bookings (user_id, status, acquired);

-- Every night a room is held. The primary key makes a double booking impossible:
-- whatever the code does, no room can be held twice for one night.
CREATE TABLE room_nights (
    room       INTEGER NOT NULL REFERENCES rooms (number),
    night      TEXT NOT NULL,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    PRIMARY KEY (room, night)
) WITHOUT ROWID;
CREATE INDEX room_nights_booking ON room_nights (booking_id, night);
-- "Which rooms are taken on these nights?" reads only the nights asked about.
CREATE INDEX room_nights_by_night ON room_nights (night, room);
