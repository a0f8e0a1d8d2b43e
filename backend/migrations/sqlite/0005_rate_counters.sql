-- Requests counted per client address or account in fixed windows (sign-ups per hour,
-- bookings per minute), in the database so the limits hold across restarts and instances.
CREATE TABLE rate_counters (
    scope        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (scope, subject, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_counters_age ON rate_counters (scope, window_start);
