-- Review (Marketplace:Review:Required): a listing published by anyone but a reviewer is 'submitted' until
-- the agency that serves its organization, or an admin, publishes or rejects it. 'review' holds the last
-- decision as JSON (decision, reason in zh/ru/en, reviewer, time); 'published_at' the first publication,
-- which the funnel report measures from (listings published before this column: their creation).
ALTER TABLE listings ADD COLUMN review TEXT NULL;
ALTER TABLE listings ADD COLUMN published_at TIMESTAMPTZ NULL;
UPDATE listings SET published_at = created_at WHERE status IN ('published', 'expired');
