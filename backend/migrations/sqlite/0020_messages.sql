-- The outbox: each message to a guest, queued in the transaction of the change that causes
-- it (a booking rolled back queues nothing), written out and sent afterwards by the mail
-- worker (`workers/mail.rs`). Times are Unix seconds.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    -- The booking it is about, and the room-bookings it names (`12,13`).
    reference       TEXT NOT NULL DEFAULT '',
    booking_ids     TEXT NOT NULL DEFAULT '',
    -- What the change knew that the stored data does not keep (a cancellation's fee), JSON.
    details         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    -- Filled in by the worker a moment after the commit (`written_at`).
    recipient       TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT 'en',
    subject         TEXT NOT NULL DEFAULT '',
    body_text       TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    attachment_name TEXT NOT NULL DEFAULT '',
    attachment      BLOB,
    written_at      INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- Retries end here (a day after queueing, or after *Send again*).
    give_up_at      INTEGER NOT NULL,
    -- A worker sending it holds it until then; another takes it over only after.
    lease_until     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
-- The one index: the worker's queue, in the order messages come due. Its key grows with time,
-- so a booking adds to its end. Lists by booking or guest read the table itself: an index on a
-- booking reference (random) or an account costs every booking a write in the middle of a
-- B-tree, and a hotel's messages are few, kept a year (`--keep-messages-days`).
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'queued';
