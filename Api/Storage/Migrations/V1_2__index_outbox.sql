-- Durable indexing: a listing write and its outbox row commit together; indexers drain the outbox.
CREATE TABLE index_outbox (
    id               TEXT PRIMARY KEY,       -- time-ordered (UUIDv7), so ORDER BY id is enqueue order
    listing_id       TEXT NOT NULL,
    version          BIGINT NOT NULL,        -- the listing version that made this row
    enqueued_at      TIMESTAMPTZ NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    claimed_by       TEXT NULL,              -- the replica working on it
    claimed_until    TIMESTAMPTZ NULL,       -- a crashed replica's claim expires
    last_error       TEXT NULL
);

CREATE INDEX ix_index_outbox_due ON index_outbox (next_attempt_at);
CREATE INDEX ix_index_outbox_listing ON index_outbox (listing_id);
