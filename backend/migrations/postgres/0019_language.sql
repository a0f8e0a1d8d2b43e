-- The language the hotel writes to a guest in, on the account (the guest's own choice) and on
-- the desk's profile of them (kept the same when both exist).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE guest_profiles ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
