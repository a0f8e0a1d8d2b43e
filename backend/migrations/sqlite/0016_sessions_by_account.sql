-- An account keeps its newest sessions only; a new sign-in finds the account's others here
-- to end the oldest. From this version on `created_at` counts microseconds (sessions of
-- before count seconds, and so sort as the older ones they are).
CREATE INDEX sessions_by_account ON sessions (user_id, created_at);
