-- A glossary change and the re-indexing it needs, recorded in the change's own transaction: the
-- listings that mention the concept are queued from here, by the replica that made the change or,
-- if it could not (its client gone, the engine away, a crash), by any replica's background indexer.
CREATE TABLE glossary_changes (
    id          TEXT PRIMARY KEY,        -- time-ordered (UUIDv7)
    concept_id  TEXT NOT NULL,
    zh          TEXT NOT NULL,           -- the concept's Chinese names before and after the change, separated by ';'
    ru          TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
