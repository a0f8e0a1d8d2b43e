-- What a line check-in posts itself (the city tax) says, as its parts, so an invoice can say
-- it in the guest's language; NULL for lines worded by the desk.
ALTER TABLE postings ADD COLUMN words_json TEXT;
