-- The server keeps the rooms held each night in memory (store/night_index.rs): read from
-- room_nights at start, and changed by SQLite's pre-update hook on every row the server writes.
-- night_rooms and its triggers cost each booking and each cancellation an upsert or an update
-- per room-night, a third of the writer's work; only one server writes a SQLite file, so
-- nobody else needs them.
DROP TRIGGER night_rooms_take;
DROP TRIGGER night_rooms_free;
DROP TRIGGER night_rooms_move;
DROP TABLE night_rooms;
