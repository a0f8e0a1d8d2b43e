-- What a rate plan's nightly price includes (breakfast): a list of {extra_id, tax_rate_id},
-- read with the plan; the bill splits each night into the room and these items.
ALTER TABLE rate_plans ADD COLUMN includes_json TEXT NOT NULL DEFAULT '[]';
