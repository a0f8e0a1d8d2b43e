-- Failed sign-ins per username and client address, shared by every server instance.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    failures INTEGER NOT NULL,
    first_at BIGINT NOT NULL,
    PRIMARY KEY (username, ip)
);
