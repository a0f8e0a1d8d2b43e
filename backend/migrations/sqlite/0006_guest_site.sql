-- The guest site: a person's name and e-mail on their account, a booking reference shared by
-- the rooms of one booking, prices that follow a move into another room type, the hotel's
-- profile (in `settings`) and its photos.
ALTER TABLE users ADD COLUMN full_name TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
-- One account per address, whatever its capitals.
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;

-- What the guest quotes to the hotel; random, so a neighbour's cannot be guessed. Not
-- indexed here (every booking would write a page at a random place): a guest's lookup scans
-- their own bookings, as their history does.
ALTER TABLE bookings ADD COLUMN reference TEXT NOT NULL DEFAULT '';
UPDATE bookings SET reference = 'B' || printf('%07d', id);
-- Minor units added to rate × nights: what nights already spent in a room of another type
-- cost at that type's rate, after a move re-priced the rest.
ALTER TABLE bookings ADD COLUMN adjustment INTEGER NOT NULL DEFAULT 0;

CREATE TABLE photos (
    id           INTEGER PRIMARY KEY,
    -- NULL: a photo of the hotel itself.
    room_type_id INTEGER REFERENCES room_types (id),
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
