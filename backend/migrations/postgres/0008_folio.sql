-- Bills: the extras a hotel sells, what the desk posts on a stay's bill (charges, discounts,
-- payments, refunds, notes), and invoices numbered without gaps within a year.
CREATE TABLE extras (
    id               BIGSERIAL PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    price            BIGINT NOT NULL CHECK (price >= 0),
    per_person_night BOOLEAN NOT NULL DEFAULT FALSE,
    retired          BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO extras (name, price, per_person_night) VALUES
    ('Breakfast', 1500, FALSE), ('Parking', 1200, FALSE), ('Minibar', 500, FALSE), ('City tax', 300, TRUE);

CREATE TABLE postings (
    id          BIGSERIAL PRIMARY KEY,
    booking_id  BIGINT NOT NULL REFERENCES bookings (id),
    kind        TEXT NOT NULL CHECK (kind IN ('charge', 'discount', 'payment', 'refund', 'note')),
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    amount      BIGINT NOT NULL CHECK (amount >= 0),
    method      TEXT CHECK (method IN ('cash', 'card', 'bank_transfer')),
    extra_id    BIGINT REFERENCES extras (id),
    posted_on   DATE NOT NULL,
    posted_at   TEXT NOT NULL,
    actor       TEXT NOT NULL
);
CREATE INDEX postings_booking ON postings (booking_id, id);

-- Two desks issuing at once both compute the next number; the unique pair makes one of them
-- run again with the number after.
CREATE TABLE invoices (
    id         BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL UNIQUE REFERENCES bookings (id),
    year       INTEGER NOT NULL,
    number     BIGINT NOT NULL,
    issued_on  DATE NOT NULL,
    total      BIGINT NOT NULL,
    lines_json TEXT NOT NULL,
    UNIQUE (year, number)
);
