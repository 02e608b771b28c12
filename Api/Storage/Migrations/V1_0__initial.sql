-- One schema for SQLite and PostgreSQL: only types and statements both understand.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,          -- JSON {"zh": ..., "ru": ..., "en": ...}
    country     TEXT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    role             TEXT NOT NULL,
    name             TEXT NULL,
    key_hash         TEXT NOT NULL UNIQUE,   -- SHA-256 of the key; the key itself is never stored
    prefix           TEXT NOT NULL,          -- first characters, to recognise a key in lists
    created_at       TIMESTAMPTZ NOT NULL,
    revoked_at       TIMESTAMPTZ NULL
);

CREATE TABLE listings (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,          -- offer | need
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    external_ref     TEXT NULL,
    status           TEXT NOT NULL,
    field            TEXT NOT NULL,
    trl              INTEGER NOT NULL,
    country          TEXT NOT NULL,
    body             TEXT NOT NULL,          -- the listing's content as JSON
    version          BIGINT NOT NULL,
    index_status     TEXT NOT NULL,          -- indexed | pending
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX ux_listings_external_ref ON listings (organization_id, kind, external_ref);
CREATE INDEX ix_listings_pending ON listings (index_status);
