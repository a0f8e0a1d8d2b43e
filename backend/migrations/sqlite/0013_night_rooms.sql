-- Which rooms are taken on each night: 1,024 rooms to a row (a hotel of up to 1,024 rooms has
-- one row a night). Room r lives in the row whose block is r >> 10, in column w((r >> 6) & 15),
-- as bit (r & 63). A free-room search reads one row per night of the stay, however many of its
-- rooms are sold, so it costs the same on a full hotel as on an empty one.
-- The triggers change it in the statement that changes room_nights, whoever writes it, so it
-- commits or rolls back with the rows and can never disagree with them.
CREATE TABLE night_rooms (
    night TEXT NOT NULL,
    block INTEGER NOT NULL,
    w0 INTEGER NOT NULL DEFAULT 0,
    w1 INTEGER NOT NULL DEFAULT 0,
    w2 INTEGER NOT NULL DEFAULT 0,
    w3 INTEGER NOT NULL DEFAULT 0,
    w4 INTEGER NOT NULL DEFAULT 0,
    w5 INTEGER NOT NULL DEFAULT 0,
    w6 INTEGER NOT NULL DEFAULT 0,
    w7 INTEGER NOT NULL DEFAULT 0,
    w8 INTEGER NOT NULL DEFAULT 0,
    w9 INTEGER NOT NULL DEFAULT 0,
    w10 INTEGER NOT NULL DEFAULT 0,
    w11 INTEGER NOT NULL DEFAULT 0,
    w12 INTEGER NOT NULL DEFAULT 0,
    w13 INTEGER NOT NULL DEFAULT 0,
    w14 INTEGER NOT NULL DEFAULT 0,
    w15 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (night, block)
) WITHOUT ROWID;

-- A room is taken at most once a night (the primary key of room_nights), so the sum of the
-- rooms' distinct bits is their union; it never overflows, whatever the order.
INSERT INTO night_rooms (night, block, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15)
SELECT night, room >> 10,
        SUM(CASE WHEN (room >> 6) & 15 = 0 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 1 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 2 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 3 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 4 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 5 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 6 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 7 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 8 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 9 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 10 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 11 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 12 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 13 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 14 THEN 1 << (room & 63) ELSE 0 END),
        SUM(CASE WHEN (room >> 6) & 15 = 15 THEN 1 << (room & 63) ELSE 0 END)
FROM room_nights GROUP BY night, room >> 10;

CREATE TRIGGER night_rooms_take AFTER INSERT ON room_nights BEGIN
    INSERT INTO night_rooms (night, block, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15)
    VALUES (NEW.night, NEW.room >> 10,
        CASE WHEN (NEW.room >> 6) & 15 = 0 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 1 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 2 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 3 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 4 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 5 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 6 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 7 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 8 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 9 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 10 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 11 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 12 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 13 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 14 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 15 THEN 1 << (NEW.room & 63) ELSE 0 END)
    ON CONFLICT (night, block) DO UPDATE SET
        w0 = w0 | excluded.w0,
        w1 = w1 | excluded.w1,
        w2 = w2 | excluded.w2,
        w3 = w3 | excluded.w3,
        w4 = w4 | excluded.w4,
        w5 = w5 | excluded.w5,
        w6 = w6 | excluded.w6,
        w7 = w7 | excluded.w7,
        w8 = w8 | excluded.w8,
        w9 = w9 | excluded.w9,
        w10 = w10 | excluded.w10,
        w11 = w11 | excluded.w11,
        w12 = w12 | excluded.w12,
        w13 = w13 | excluded.w13,
        w14 = w14 | excluded.w14,
        w15 = w15 | excluded.w15;
END;

CREATE TRIGGER night_rooms_free AFTER DELETE ON room_nights BEGIN
    UPDATE night_rooms SET
        w0 = w0 & ~(CASE WHEN (OLD.room >> 6) & 15 = 0 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w1 = w1 & ~(CASE WHEN (OLD.room >> 6) & 15 = 1 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w2 = w2 & ~(CASE WHEN (OLD.room >> 6) & 15 = 2 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w3 = w3 & ~(CASE WHEN (OLD.room >> 6) & 15 = 3 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w4 = w4 & ~(CASE WHEN (OLD.room >> 6) & 15 = 4 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w5 = w5 & ~(CASE WHEN (OLD.room >> 6) & 15 = 5 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w6 = w6 & ~(CASE WHEN (OLD.room >> 6) & 15 = 6 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w7 = w7 & ~(CASE WHEN (OLD.room >> 6) & 15 = 7 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w8 = w8 & ~(CASE WHEN (OLD.room >> 6) & 15 = 8 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w9 = w9 & ~(CASE WHEN (OLD.room >> 6) & 15 = 9 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w10 = w10 & ~(CASE WHEN (OLD.room >> 6) & 15 = 10 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w11 = w11 & ~(CASE WHEN (OLD.room >> 6) & 15 = 11 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w12 = w12 & ~(CASE WHEN (OLD.room >> 6) & 15 = 12 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w13 = w13 & ~(CASE WHEN (OLD.room >> 6) & 15 = 13 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w14 = w14 & ~(CASE WHEN (OLD.room >> 6) & 15 = 14 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w15 = w15 & ~(CASE WHEN (OLD.room >> 6) & 15 = 15 THEN 1 << (OLD.room & 63) ELSE 0 END)
    WHERE night = OLD.night AND block = OLD.room >> 10;
END;

CREATE TRIGGER night_rooms_move AFTER UPDATE OF room, night ON room_nights BEGIN
    UPDATE night_rooms SET
        w0 = w0 & ~(CASE WHEN (OLD.room >> 6) & 15 = 0 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w1 = w1 & ~(CASE WHEN (OLD.room >> 6) & 15 = 1 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w2 = w2 & ~(CASE WHEN (OLD.room >> 6) & 15 = 2 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w3 = w3 & ~(CASE WHEN (OLD.room >> 6) & 15 = 3 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w4 = w4 & ~(CASE WHEN (OLD.room >> 6) & 15 = 4 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w5 = w5 & ~(CASE WHEN (OLD.room >> 6) & 15 = 5 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w6 = w6 & ~(CASE WHEN (OLD.room >> 6) & 15 = 6 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w7 = w7 & ~(CASE WHEN (OLD.room >> 6) & 15 = 7 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w8 = w8 & ~(CASE WHEN (OLD.room >> 6) & 15 = 8 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w9 = w9 & ~(CASE WHEN (OLD.room >> 6) & 15 = 9 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w10 = w10 & ~(CASE WHEN (OLD.room >> 6) & 15 = 10 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w11 = w11 & ~(CASE WHEN (OLD.room >> 6) & 15 = 11 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w12 = w12 & ~(CASE WHEN (OLD.room >> 6) & 15 = 12 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w13 = w13 & ~(CASE WHEN (OLD.room >> 6) & 15 = 13 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w14 = w14 & ~(CASE WHEN (OLD.room >> 6) & 15 = 14 THEN 1 << (OLD.room & 63) ELSE 0 END),
        w15 = w15 & ~(CASE WHEN (OLD.room >> 6) & 15 = 15 THEN 1 << (OLD.room & 63) ELSE 0 END)
    WHERE night = OLD.night AND block = OLD.room >> 10;
    INSERT INTO night_rooms (night, block, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15)
    VALUES (NEW.night, NEW.room >> 10,
        CASE WHEN (NEW.room >> 6) & 15 = 0 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 1 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 2 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 3 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 4 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 5 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 6 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 7 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 8 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 9 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 10 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 11 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 12 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 13 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 14 THEN 1 << (NEW.room & 63) ELSE 0 END,
        CASE WHEN (NEW.room >> 6) & 15 = 15 THEN 1 << (NEW.room & 63) ELSE 0 END)
    ON CONFLICT (night, block) DO UPDATE SET
        w0 = w0 | excluded.w0,
        w1 = w1 | excluded.w1,
        w2 = w2 | excluded.w2,
        w3 = w3 | excluded.w3,
        w4 = w4 | excluded.w4,
        w5 = w5 | excluded.w5,
        w6 = w6 | excluded.w6,
        w7 = w7 | excluded.w7,
        w8 = w8 | excluded.w8,
        w9 = w9 | excluded.w9,
        w10 = w10 | excluded.w10,
        w11 = w11 | excluded.w11,
        w12 = w12 | excluded.w12,
        w13 = w13 | excluded.w13,
        w14 = w14 | excluded.w14,
        w15 = w15 | excluded.w15;
END;
