-- The same model as the SQLite schema (see migrations/sqlite), in PostgreSQL's own types.
CREATE TABLE rooms (
    number INTEGER PRIMARY KEY CHECK (number > 0)
);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'guest' CHECK (role IN ('guest', 'staff')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE SEQUENCE bookings_acquired;

CREATE TABLE bookings (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    room       INTEGER NOT NULL REFERENCES rooms (number),
    check_in   DATE NOT NULL,
    check_out  DATE NOT NULL,
    status     TEXT NOT NULL DEFAULT 'booked'
               CHECK (status IN ('booked', 'checked_out', 'cancelled')),
    acquired   BIGINT NOT NULL UNIQUE DEFAULT nextval('bookings_acquired'),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (check_out > check_in)
);
CREATE INDEX bookings_user ON bookings (user_id, status, acquired);

-- One row per room per night held: the primary key makes a double booking impossible,
-- whichever server instance tries it.
CREATE TABLE room_nights (
    room       INTEGER NOT NULL REFERENCES rooms (number),
    night      DATE NOT NULL,
    booking_id BIGINT NOT NULL REFERENCES bookings (id),
    PRIMARY KEY (room, night)
);
CREATE INDEX room_nights_booking ON room_nights (booking_id, night);
CREATE INDEX room_nights_by_night ON room_nights (night, room);
