-- Housekeeping: each room is clean, dirty or inspected, and a housekeeper is a role of its
-- own (rooms to clean, no guest data, no money).
ALTER TABLE rooms ADD COLUMN housekeeping TEXT NOT NULL DEFAULT 'clean'
    CHECK (housekeeping IN ('clean', 'dirty', 'inspected'));

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('guest', 'staff', 'housekeeper'));
