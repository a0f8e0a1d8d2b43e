-- See migrations/sqlite/0006_guest_site.sql.
ALTER TABLE users ADD COLUMN full_name TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;

ALTER TABLE bookings ADD COLUMN reference TEXT NOT NULL DEFAULT '';
UPDATE bookings SET reference = 'B' || lpad(id::text, 7, '0');
CREATE INDEX bookings_reference ON bookings (reference);
ALTER TABLE bookings ADD COLUMN adjustment BIGINT NOT NULL DEFAULT 0;

CREATE TABLE photos (
    id           BIGSERIAL PRIMARY KEY,
    room_type_id BIGINT REFERENCES room_types (id),
    content_type TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    created_at   TEXT NOT NULL
);
