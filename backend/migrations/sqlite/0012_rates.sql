-- Prices as a hotel sets them: rate plans per room type, a price and restrictions per night,
-- and bookings that keep the plan, each night's price and the terms they were made under.
CREATE TABLE rate_plans (
    id              INTEGER PRIMARY KEY,
    room_type_id    INTEGER NOT NULL REFERENCES room_types (id),
    name            TEXT NOT NULL,
    -- The type's base plan, priced by the calendar; every other plan follows it.
    base            INTEGER NOT NULL DEFAULT 0,
    derived_percent INTEGER,
    derived_amount  INTEGER,
    visible         INTEGER NOT NULL DEFAULT 1,
    -- shared::rates::Terms as JSON: copied onto each booking, so later changes never reach it.
    terms_json      TEXT NOT NULL,
    retired         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (room_type_id, name)
);
CREATE UNIQUE INDEX rate_plans_one_base ON rate_plans (room_type_id) WHERE base;
INSERT INTO rate_plans (room_type_id, name, base, visible, terms_json, retired)
SELECT id, 'Flexible', 1, 1,
       '{"refundable":true,"free_until_days":0,"free_until_time":"18:00","fee":{"kind":"first_night"},"no_show_fee":{"kind":"first_night"}}',
       retired
FROM room_types;

-- One row per night and room type (plan_id 0: the type, every plan) or plan: the base plan's
-- price (type rows only) and the restrictions. A night without a row takes the type's rate.
CREATE TABLE rate_nights (
    night               TEXT NOT NULL,
    room_type_id        INTEGER NOT NULL REFERENCES room_types (id),
    plan_id             INTEGER NOT NULL DEFAULT 0,
    amount              INTEGER CHECK (amount >= 0),
    min_stay            INTEGER,
    max_stay            INTEGER,
    closed              INTEGER NOT NULL DEFAULT 0,
    closed_to_arrival   INTEGER NOT NULL DEFAULT 0,
    closed_to_departure INTEGER NOT NULL DEFAULT 0,
    min_advance         INTEGER,
    max_advance         INTEGER,
    PRIMARY KEY (night, room_type_id, plan_id)
) WITHOUT ROWID;

ALTER TABLE bookings ADD COLUMN rate_plan_id INTEGER REFERENCES rate_plans (id);
-- Each night's price, comma-separated from the arrival night; NULL for stays booked before
-- plans, whose every night cost `rate`.
ALTER TABLE bookings ADD COLUMN prices TEXT;
-- The plan's name and terms when booked (JSON); NULL before plans: cancelling was free.
ALTER TABLE bookings ADD COLUMN terms_json TEXT;

-- What the room earns that night, for reports.
ALTER TABLE room_nights ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;
UPDATE room_nights SET amount = (SELECT b.rate FROM bookings b WHERE b.id = room_nights.booking_id);

-- A fee posted by a cancellation or a no-show (a charge, counted apart in reports).
ALTER TABLE postings ADD COLUMN fee TEXT CHECK (fee IN ('cancellation', 'no_show'));
