-- A guest who never came: the stay is called off like a cancellation (its nights from the day
-- it was marked on are released), and remembered as a no-show.
ALTER TABLE bookings ADD COLUMN no_show BOOLEAN NOT NULL DEFAULT FALSE;
