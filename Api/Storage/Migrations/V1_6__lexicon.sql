-- The word lexicon beside the concept glossary: Chinese words and short terms with all their common
-- Russian translations (and English or Latin forms), by which listing texts are translated word by
-- word at match time. Shipped rows are seeded at start; a curator's change or removal is kept. A
-- change raises the same revision as the glossary, so every replica reloads its vocabulary.
CREATE TABLE lexicon_entries (
    id          TEXT PRIMARY KEY,       -- shipped: '<area>:<Chinese headword>'; curated: 'lx-' + UUIDv7
    area        TEXT NOT NULL,          -- general-machines, field-biotech, abbreviations, ...: one of the shipped files' names
    zh          TEXT NOT NULL,          -- forms separated by '; ', the first is the headword
    ru          TEXT NOT NULL,
    en          TEXT NOT NULL,          -- may be empty
    origin      TEXT NOT NULL,          -- shipped | curated
    deleted     INTEGER NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX ix_lexicon_entries_area ON lexicon_entries (area);
