-- The same as migrations/sqlite/0012, in PostgreSQL's own types.
CREATE TABLE rate_plans (
    id              BIGSERIAL PRIMARY KEY,
    room_type_id    BIGINT NOT NULL REFERENCES room_types (id),
    name            TEXT NOT NULL,
    base            BOOLEAN NOT NULL DEFAULT FALSE,
    derived_percent INTEGER,
    derived_amount  BIGINT,
    visible         BOOLEAN NOT NULL DEFAULT TRUE,
    terms_json      TEXT NOT NULL,
    retired         BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (room_type_id, name)
);
CREATE UNIQUE INDEX rate_plans_one_base ON rate_plans (room_type_id) WHERE base;
INSERT INTO rate_plans (room_type_id, name, base, visible, terms_json, retired)
SELECT id, 'Flexible', TRUE, TRUE,
       '{"refundable":true,"free_until_days":0,"free_until_time":"18:00","fee":{"kind":"first_night"},"no_show_fee":{"kind":"first_night"}}',
       retired
FROM room_types;

CREATE TABLE rate_nights (
    night               DATE NOT NULL,
    room_type_id        BIGINT NOT NULL REFERENCES room_types (id),
    plan_id             BIGINT NOT NULL DEFAULT 0,
    amount              BIGINT CHECK (amount >= 0),
    min_stay            INTEGER,
    max_stay            INTEGER,
    closed              BOOLEAN NOT NULL DEFAULT FALSE,
    closed_to_arrival   BOOLEAN NOT NULL DEFAULT FALSE,
    closed_to_departure BOOLEAN NOT NULL DEFAULT FALSE,
    min_advance         INTEGER,
    max_advance         INTEGER,
    PRIMARY KEY (night, room_type_id, plan_id)
);

ALTER TABLE bookings
    ADD COLUMN rate_plan_id BIGINT REFERENCES rate_plans (id),
    ADD COLUMN prices TEXT,
    ADD COLUMN terms_json TEXT;

ALTER TABLE room_nights ADD COLUMN amount BIGINT NOT NULL DEFAULT 0;
UPDATE room_nights SET amount = b.rate FROM bookings b WHERE b.id = room_nights.booking_id;

ALTER TABLE postings ADD COLUMN fee TEXT CHECK (fee IN ('cancellation', 'no_show'));
