-- What happened that an organization cares about: one row per organization concerned. Written in the
-- transaction of its cause; `seq` (the feed's order) is given after commit, in commit order, by the
-- sequencer, so a poller reading `after` a sequence number never misses an event committed later.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,        -- evt_…: stable, the webhook-id of every delivery of it
    seq             BIGINT NULL,             -- position in the feed; NULL until sequenced
    organization_id TEXT NOT NULL,           -- the organization it concerns
    type            TEXT NOT NULL,           -- match.found | listing.reviewed | listing.expiring | interest.received | …
    at              TIMESTAMPTZ NOT NULL,
    data            TEXT NOT NULL            -- JSON: what a client needs without a second call
);
CREATE UNIQUE INDEX ux_events_seq ON events (seq);
CREATE INDEX ix_events_organization ON events (organization_id, seq);
CREATE INDEX ix_events_at ON events (at);

-- The last sequence number given; its row is the sequencer's lock.
CREATE TABLE event_sequence (
    id    INTEGER PRIMARY KEY,               -- always 1
    value BIGINT NOT NULL
);
INSERT INTO event_sequence (id, value) VALUES (1, 0);

-- What an organization is alerted to; an organization without a row has the defaults.
CREATE TABLE subscriptions (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    types           TEXT NOT NULL,           -- JSON array of event types
    threshold       DOUBLE PRECISION NOT NULL, -- lowest match score that makes a match.found
    delivery        TEXT NOT NULL,           -- immediate | daily
    digest_at       TIMESTAMPTZ NULL,        -- daily: the end of the period the last match.digest covered
    version         BIGINT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Where an organization's events are pushed, signed per Standard Webhooks.
CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,           -- whsec_…: the signing key, shown once
    types           TEXT NULL,               -- JSON array of event types; NULL: all
    description     TEXT NULL,
    failing_since   TIMESTAMPTZ NULL,        -- first failure since the last success
    disabled_at     TIMESTAMPTZ NULL,        -- NULL: enabled
    disabled_reason TEXT NULL,               -- failing | owner
    version         BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_webhooks_organization ON webhooks (organization_id);

-- One event to one webhook, retried with backoff; claimed by one replica at a time.
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id),
    event_id         TEXT NOT NULL,
    status           TEXT NOT NULL,          -- pending | delivered | failed
    attempts         INTEGER NOT NULL,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    claimed_by       TEXT NULL,
    claimed_until    TIMESTAMPTZ NULL,
    last_status_code INTEGER NULL,
    last_error       TEXT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ NULL
);
CREATE INDEX ix_deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX ix_deliveries_webhook ON deliveries (webhook_id, created_at);
CREATE INDEX ix_deliveries_event ON deliveries (event_id);

-- Every attempt of a delivery: when, how long, what the receiver answered.
CREATE TABLE delivery_attempts (
    delivery_id TEXT NOT NULL REFERENCES deliveries (id),
    number      INTEGER NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status_code INTEGER NULL,
    latency_ms  BIGINT NOT NULL,
    error       TEXT NULL,
    PRIMARY KEY (delivery_id, number)
);

-- The expiry date a listing.expiring was sent for: one notice per expiry date (a renewal brings a new one).
ALTER TABLE listings ADD COLUMN expiry_noticed_at TIMESTAMPTZ NULL;

-- Published listings, once indexed, waiting to be matched in reverse against the listings of
-- organizations subscribed to match.found; one row per listing, its latest version.
CREATE TABLE match_outbox (
    listing_id    TEXT PRIMARY KEY,
    version       BIGINT NOT NULL,
    enqueued_at   TIMESTAMPTZ NOT NULL,
    claimed_by    TEXT NULL,
    claimed_until TIMESTAMPTZ NULL
);
-- The last version of a listing matched for alerts: a reindex of the same version alerts no one again.
ALTER TABLE listings ADD COLUMN alerted_version BIGINT NULL;

-- Each pair an organization was alerted to, with the score: again only when the score rises by the margin.
CREATE TABLE match_alerts (
    listing_id TEXT NOT NULL,                -- the subscribed organization's listing
    match_id   TEXT NOT NULL,                -- the new or changed listing that matched it
    score      DOUBLE PRECISION NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (listing_id, match_id)
);
