-- Failed sign-ins per username and client address, so throttling survives restarts and is
-- shared by everything that uses this database.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    failures INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    PRIMARY KEY (username, ip)
) WITHOUT ROWID;
