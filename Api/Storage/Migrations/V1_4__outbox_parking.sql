-- A listing the engine keeps refusing is parked instead of being retried forever: it waits for an
-- operator (GET /admin/index-status shows it, POST /admin/index-status/retry retries it) and holds
-- back nothing else.
ALTER TABLE index_outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE index_outbox ADD COLUMN parked_at TIMESTAMPTZ NULL;

CREATE INDEX ix_index_outbox_parked ON index_outbox (parked_at);
