-- For integrations: when each booking last changed (unix milliseconds), and the booking site
-- or program that sold it with that site's reference.
ALTER TABLE bookings
    ADD COLUMN updated_at BIGINT,
    ADD COLUMN channel TEXT,
    ADD COLUMN external_reference TEXT;
UPDATE bookings SET updated_at = (extract(epoch FROM created_at) * 1000)::BIGINT;
-- Every change of a booking row moves its time, whichever op made it. A new booking is
-- written with its time; only updates need the trigger.
CREATE FUNCTION bookings_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
    RETURN NEW;
END
$$;
CREATE TRIGGER bookings_touch BEFORE UPDATE ON bookings
FOR EACH ROW EXECUTE FUNCTION bookings_touch();
-- A site's booking sent twice is one booking: one standing booking per channel and reference.
CREATE UNIQUE INDEX bookings_by_channel ON bookings (channel, external_reference)
WHERE external_reference IS NOT NULL AND status <> 'cancelled';
