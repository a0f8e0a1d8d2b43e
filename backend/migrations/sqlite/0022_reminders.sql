-- Bookings whose pre-arrival reminder has been queued, by reference: a booking gets one
-- reminder, whichever instance finds it due and however often the server restarts.
CREATE TABLE reminders_sent (
    reference TEXT PRIMARY KEY,
    queued_at INTEGER NOT NULL
) WITHOUT ROWID;
