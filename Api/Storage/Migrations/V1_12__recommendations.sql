-- An agency recommends a need and an offer to each other's organizations; when both accept, an introduction opens.
CREATE TABLE recommendations (
    id                    TEXT PRIMARY KEY,
    agency_id             TEXT NOT NULL REFERENCES organizations (id),  -- the organization of the key that recommended
    need_id               TEXT NOT NULL REFERENCES listings (id),
    offer_id              TEXT NOT NULL REFERENCES listings (id),
    need_organization_id  TEXT NOT NULL REFERENCES organizations (id),
    offer_organization_id TEXT NOT NULL REFERENCES organizations (id),
    note                  TEXT NULL,          -- JSON {"zh", "ru", "en"}
    score                 DOUBLE PRECISION NULL,
    explanation           TEXT NULL,          -- JSON: the match explanation when it was made
    need_answer           TEXT NOT NULL,      -- pending | accepted | declined
    offer_answer          TEXT NOT NULL,
    need_reason           TEXT NULL,
    offer_reason          TEXT NULL,
    status                TEXT NOT NULL,      -- pending | accepted | declined
    introduction_id       TEXT NULL,
    idempotency_key       TEXT NULL,          -- the Idempotency-Key it was made with: the same key again answers it
    version               BIGINT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_recommendations_agency ON recommendations (agency_id, created_at);
CREATE UNIQUE INDEX ux_recommendations_idempotency ON recommendations (agency_id, idempotency_key);
CREATE INDEX ix_recommendations_need_org ON recommendations (need_organization_id);
CREATE INDEX ix_recommendations_offer_org ON recommendations (offer_organization_id);
ALTER TABLE introductions ADD COLUMN recommendation_id TEXT NULL;
