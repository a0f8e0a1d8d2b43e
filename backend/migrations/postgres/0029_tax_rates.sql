-- The hotel's tax rates (VAT): each a name ("Lodging", "Standard") and the percents it has
-- had, each from a day on, since rates change by law. A percent is kept in hundredths
-- (7.7 % is 770). Room types and extras name the rate their prices carry; a posting keeps
-- the rate it was posted at.
CREATE TABLE tax_rates (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE tax_rate_periods (
    tax_rate_id   BIGINT NOT NULL REFERENCES tax_rates (id),
    valid_from    DATE NOT NULL,
    basis_points  INTEGER NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    PRIMARY KEY (tax_rate_id, valid_from)
);
ALTER TABLE room_types ADD COLUMN tax_rate_id BIGINT REFERENCES tax_rates (id);
ALTER TABLE extras ADD COLUMN tax_rate_id BIGINT REFERENCES tax_rates (id);
ALTER TABLE postings ADD COLUMN tax_rate_id BIGINT REFERENCES tax_rates (id);
