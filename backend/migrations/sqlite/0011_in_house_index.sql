-- Guests in house, found without reading every booking: only rows of checked-in stays are in
-- this index, so making a booking writes nothing more.
CREATE INDEX bookings_in_house ON bookings (id) WHERE status = 'booked' AND checked_in_at IS NOT NULL;
