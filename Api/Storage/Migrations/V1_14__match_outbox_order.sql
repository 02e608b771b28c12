-- Replicas claim the oldest waiting listings first: without this index every claim read and sorted
-- the whole alert backlog (a sixth of the alerter's time with 70,000 listings waiting after an import).
CREATE INDEX ix_match_outbox_enqueued ON match_outbox (enqueued_at);
