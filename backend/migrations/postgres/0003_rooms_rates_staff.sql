-- The same model as migrations/sqlite/0003, in PostgreSQL's own types.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE room_types (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    rate        BIGINT NOT NULL CHECK (rate >= 0),
    retired     BOOLEAN NOT NULL DEFAULT FALSE
);

ALTER TABLE rooms
    ADD COLUMN type_id BIGINT REFERENCES room_types (id),
    ADD COLUMN floor INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN out_of_service TEXT,
    ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE bookings
    ADD COLUMN guests INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN rate BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN checked_in_at TEXT;
CREATE INDEX bookings_dates ON bookings (check_in, check_out);

CREATE TABLE room_blocks (
    id         BIGSERIAL PRIMARY KEY,
    room       INTEGER NOT NULL REFERENCES rooms (number),
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,
    reason     TEXT NOT NULL,
    CHECK (end_date > start_date)
);
CREATE INDEX room_blocks_room ON room_blocks (room, end_date);

CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE FUNCTION audit_log_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log cannot be changed';
END
$$;
CREATE TRIGGER audit_log_read_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_read_only();
