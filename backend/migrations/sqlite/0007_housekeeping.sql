-- Housekeeping: each room is clean, dirty or inspected, and a housekeeper is a role of its
-- own (rooms to clean, no guest data, no money).
ALTER TABLE rooms ADD COLUMN housekeeping TEXT NOT NULL DEFAULT 'clean'
    CHECK (housekeeping IN ('clean', 'dirty', 'inspected'));

-- SQLite cannot change a CHECK constraint in place: the table is rebuilt as its documentation
-- describes (the migration runs with foreign keys off and checks them before committing).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'guest'
                  CHECK (role IN ('guest', 'staff', 'housekeeper')),
    created_at    TEXT NOT NULL,
    full_name     TEXT,
    email         TEXT
);
INSERT INTO users_new (id, username, password_hash, role, created_at, full_name, email)
    SELECT id, username, password_hash, role, created_at, full_name, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;
