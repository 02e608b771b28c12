-- A counter every glossary change raises in its own transaction: replicas poll it and reload their
-- in-memory catalog when it moves, so a curator's change reaches all of them within seconds.
CREATE TABLE glossary_revision (
    id        INTEGER PRIMARY KEY,     -- always 1
    revision  BIGINT NOT NULL
);

INSERT INTO glossary_revision (id, revision) VALUES (1, 0);
