-- A published listing expires after the configured lifetime (Marketplace:Listings:LifetimeDays) unless
-- its owner renews it; the expiry sweep sets status 'expired'. Null: not published, or published before
-- this column (the sweep gives those a full lifetime from the upgrade).
ALTER TABLE listings ADD COLUMN expires_at TIMESTAMPTZ NULL;
CREATE INDEX ix_listings_expiry ON listings (status, expires_at);
