-- The bilingual glossary: shipped concepts are seeded at start; curated changes are kept.
CREATE TABLE glossary_terms (
    id          TEXT PRIMARY KEY,
    field       TEXT NOT NULL,
    zh          TEXT NOT NULL,          -- names separated by ';', the first is the label
    ru          TEXT NOT NULL,
    origin      TEXT NOT NULL,          -- shipped | curated
    deleted     INTEGER NOT NULL,       -- 1: removed by a curator; seeding does not bring it back
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
