-- Guests as people: the desk's record of who stays, apart from how they sign in. Each profile
-- holds its bookings through an account: the guest's own, or one without a password.
CREATE TABLE guest_profiles (
    id                 INTEGER PRIMARY KEY,
    user_id            INTEGER NOT NULL UNIQUE REFERENCES users (id),
    full_name          TEXT NOT NULL,
    email              TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    -- The telephone's digits alone, to tell "+44 20 7946 0000" and "020 7946 0000" are one.
    phone_digits       TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    nationality        TEXT NOT NULL DEFAULT '',
    id_document_type   TEXT NOT NULL DEFAULT '',
    id_document_number TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    marketing_consent  INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL
);
CREATE INDEX guest_profiles_name ON guest_profiles (lower(full_name), id);
-- Guests who registered with a name or e-mail address before profiles existed.
INSERT INTO guest_profiles (user_id, full_name, email, created_at)
    SELECT id, COALESCE(full_name, username), COALESCE(email, ''), created_at FROM users
    WHERE role = 'guest' AND (full_name IS NOT NULL OR email IS NOT NULL);
