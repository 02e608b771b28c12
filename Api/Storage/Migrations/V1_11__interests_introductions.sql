-- Expressions of interest in a published listing, and the introductions an accepted one opens.
CREATE TABLE interests (
    id                    TEXT PRIMARY KEY,
    listing_id            TEXT NOT NULL REFERENCES listings (id),
    owner_organization_id TEXT NOT NULL REFERENCES organizations (id),  -- the listing's organization
    organization_id       TEXT NOT NULL REFERENCES organizations (id),  -- the interested one
    own_listing_id        TEXT NULL REFERENCES listings (id),          -- one of its own listings, optional
    message               TEXT NOT NULL,      -- JSON {"zh", "ru", "en"}
    status                TEXT NOT NULL,      -- pending | accepted | declined
    reason                TEXT NULL,          -- JSON: the owner's answer
    introduction_id       TEXT NULL,
    idempotency_key       TEXT NULL,
    version               BIGINT NOT NULL,
    created_by            TEXT NOT NULL,      -- the organization of the key that wrote it (an agency for a client)
    created_at            TIMESTAMPTZ NOT NULL,
    answered_by           TEXT NULL,
    answered_at           TIMESTAMPTZ NULL
);
CREATE UNIQUE INDEX ux_interests_idempotency ON interests (organization_id, idempotency_key);
CREATE INDEX ix_interests_owner ON interests (owner_organization_id, created_at);
CREATE INDEX ix_interests_organization ON interests (organization_id, created_at);

CREATE TABLE introductions (
    id                    TEXT PRIMARY KEY,
    owner_organization_id TEXT NOT NULL REFERENCES organizations (id),
    listing_id            TEXT NOT NULL REFERENCES listings (id),
    organization_id       TEXT NOT NULL REFERENCES organizations (id),
    own_listing_id        TEXT NULL REFERENCES listings (id),
    interest_id           TEXT NULL REFERENCES interests (id),
    status                TEXT NOT NULL,      -- introduced | negotiating | agreement | closed
    agreement             TEXT NULL,          -- JSON {"form", "signedOn", "value", "currency"}
    reason                TEXT NULL,          -- JSON: why it was closed
    version               BIGINT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_introductions_owner ON introductions (owner_organization_id);
CREATE INDEX ix_introductions_organization ON introductions (organization_id);

-- Every transition: who (the organization of the key) and when.
CREATE TABLE introduction_events (
    introduction_id    TEXT NOT NULL REFERENCES introductions (id),
    seq                BIGINT NOT NULL,
    status             TEXT NOT NULL,
    by_organization_id TEXT NOT NULL,
    at                 TIMESTAMPTZ NOT NULL,
    note               TEXT NULL,
    PRIMARY KEY (introduction_id, seq)
);
