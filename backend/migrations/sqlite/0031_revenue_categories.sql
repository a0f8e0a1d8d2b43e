-- What each line of revenue is, for the accountant: an extra's category (lodging, food and
-- beverage, other), kept on every posting as it was posted (a city tax is its own).
ALTER TABLE extras ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
UPDATE extras SET category = 'food_and_beverage' WHERE name IN ('Breakfast', 'Minibar');
ALTER TABLE postings ADD COLUMN category TEXT;
