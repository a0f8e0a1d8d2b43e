-- Which rooms are taken on each night, 64 rooms to a row: room r is bit (r & 63) of the row
-- whose word is r >> 6. A free-room search reads one row per 64 rooms and night instead of
-- every taken room-night, so it costs the same on a full hotel as on an empty one.
-- The triggers change it in the statement that changes room_nights, whoever writes it, so
-- it commits or rolls back with the rows and can never disagree with them. They run once
-- per statement over its changed rows (a booking of 20 rooms for a week is one upsert), and
-- each change is a single atomic UPDATE of a row, so concurrent transactions never lose one.
CREATE TABLE night_rooms (
    night DATE NOT NULL,
    word  INTEGER NOT NULL,
    bits  BIGINT NOT NULL,
    PRIMARY KEY (night, word)
);

INSERT INTO night_rooms (night, word, bits)
SELECT night, room >> 6, bit_or(1::bigint << (room & 63)) FROM room_nights GROUP BY night, room >> 6;

CREATE FUNCTION night_rooms_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE night_rooms n SET bits = n.bits & ~o.bits
        FROM (SELECT night, room >> 6 AS word, bit_or(1::bigint << (room & 63)) AS bits
              FROM old_rows GROUP BY night, room >> 6) o
        WHERE n.night = o.night AND n.word = o.word;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO night_rooms (night, word, bits)
        SELECT night, room >> 6, bit_or(1::bigint << (room & 63)) FROM new_rows GROUP BY night, room >> 6
        ON CONFLICT (night, word) DO UPDATE SET bits = night_rooms.bits | EXCLUDED.bits;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER night_rooms_take AFTER INSERT ON room_nights
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION night_rooms_track();
CREATE TRIGGER night_rooms_free AFTER DELETE ON room_nights
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION night_rooms_track();
CREATE TRIGGER night_rooms_move AFTER UPDATE ON room_nights
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION night_rooms_track();
