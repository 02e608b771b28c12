-- What ranking reads of a candidate besides its columns: cooperation forms and the figures its text
-- states (numbers with units, normalized), as JSON, derived from the body when it is written. A match
-- reads them for its 30 candidates instead of parsing 30 bodies and reading figures out of their
-- text. Rows written before this migration have NULL and are read from the body.
ALTER TABLE listings ADD COLUMN ranking TEXT NULL;
