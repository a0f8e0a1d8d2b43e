-- For integrations: when each booking last changed (unix milliseconds), and the booking site
-- or program that sold it with that site's reference.
ALTER TABLE bookings ADD COLUMN updated_at INTEGER;
ALTER TABLE bookings ADD COLUMN channel TEXT;
ALTER TABLE bookings ADD COLUMN external_reference TEXT;
UPDATE bookings SET updated_at = CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER);
-- Every change of a booking row moves its time, whichever op made it. A new booking is
-- written with its time; only updates need the trigger, so booking costs nothing more.
CREATE TRIGGER bookings_touch AFTER UPDATE ON bookings
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE bookings SET updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE id = NEW.id;
END;
-- A site's booking sent twice is one booking: one standing booking per channel and reference.
CREATE UNIQUE INDEX bookings_by_channel ON bookings (channel, external_reference)
WHERE external_reference IS NOT NULL AND status <> 'cancelled';
