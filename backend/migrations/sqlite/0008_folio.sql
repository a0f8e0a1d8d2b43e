-- Bills: the extras a hotel sells, what the desk posts on a stay's bill (charges, discounts,
-- payments, refunds, notes), and invoices numbered without gaps within a year.
CREATE TABLE extras (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    price            INTEGER NOT NULL CHECK (price >= 0),
    -- Charged per guest per night (a city tax) rather than per item.
    per_person_night INTEGER NOT NULL DEFAULT 0,
    retired          INTEGER NOT NULL DEFAULT 0
);
-- What most hotels start from; each hotel changes them.
INSERT INTO extras (name, price, per_person_night) VALUES
    ('Breakfast', 1500, 0), ('Parking', 1200, 0), ('Minibar', 500, 0), ('City tax', 300, 1);

CREATE TABLE postings (
    id          INTEGER PRIMARY KEY,
    booking_id  INTEGER NOT NULL REFERENCES bookings (id),
    kind        TEXT NOT NULL CHECK (kind IN ('charge', 'discount', 'payment', 'refund', 'note')),
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    -- The whole line, minor units; the kind says which way it moves the balance.
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    method      TEXT CHECK (method IN ('cash', 'card', 'bank_transfer')),
    extra_id    INTEGER REFERENCES extras (id),
    -- The hotel's day of the posting.
    posted_on   TEXT NOT NULL,
    posted_at   TEXT NOT NULL,
    actor       TEXT NOT NULL
);
CREATE INDEX postings_booking ON postings (booking_id, id);

CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL UNIQUE REFERENCES bookings (id),
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    issued_on  TEXT NOT NULL,
    total      INTEGER NOT NULL,
    -- The bill as issued: what the invoice shows forever, whatever is posted later.
    lines_json TEXT NOT NULL,
    UNIQUE (year, number)
);
