-- Every artifact records its SHA-256. Artifacts stored before hashing was added get the empty
-- string, then the column becomes NOT NULL.
UPDATE artifacts SET sha256 = '' WHERE sha256 IS NULL;
ALTER TABLE artifacts ALTER COLUMN sha256 SET DEFAULT '';
ALTER TABLE artifacts ALTER COLUMN sha256 SET NOT NULL;
