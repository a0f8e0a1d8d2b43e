-- Which rooms are taken on each night, 64 rooms to a row: room r is bit (r & 63) of the row
-- whose word is r >> 6. A free-room search reads one row per 64 rooms and night instead of
-- every taken room-night, so it costs the same on a full hotel as on an empty one.
-- The triggers change it in the statement that changes room_nights, whoever writes it, so
-- it commits or rolls back with the rows and can never disagree with them.
CREATE TABLE night_rooms (
    night TEXT NOT NULL,
    word  INTEGER NOT NULL,
    bits  INTEGER NOT NULL,
    PRIMARY KEY (night, word)
) WITHOUT ROWID;

-- A room is taken at most once a night (the primary key of room_nights), so the sum of the
-- rooms' distinct bits is their union; it never overflows, whatever the order.
INSERT INTO night_rooms (night, word, bits)
SELECT night, room >> 6, SUM(1 << (room & 63)) FROM room_nights GROUP BY night, room >> 6;

CREATE TRIGGER night_rooms_take AFTER INSERT ON room_nights BEGIN
    INSERT INTO night_rooms (night, word, bits) VALUES (NEW.night, NEW.room >> 6, 1 << (NEW.room & 63))
    ON CONFLICT (night, word) DO UPDATE SET bits = bits | excluded.bits;
END;

CREATE TRIGGER night_rooms_free AFTER DELETE ON room_nights BEGIN
    UPDATE night_rooms SET bits = bits & ~(1 << (OLD.room & 63))
    WHERE night = OLD.night AND word = OLD.room >> 6;
END;

CREATE TRIGGER night_rooms_move AFTER UPDATE OF room, night ON room_nights BEGIN
    UPDATE night_rooms SET bits = bits & ~(1 << (OLD.room & 63))
    WHERE night = OLD.night AND word = OLD.room >> 6;
    INSERT INTO night_rooms (night, word, bits) VALUES (NEW.night, NEW.room >> 6, 1 << (NEW.room & 63))
    ON CONFLICT (night, word) DO UPDATE SET bits = bits | excluded.bits;
END;
