-- Organization profiles, and the agencies that serve (act for) client organizations.
ALTER TABLE organizations ADD COLUMN type TEXT NULL;         -- enterprise | research-institute | university | agency | government
ALTER TABLE organizations ADD COLUMN region TEXT NULL;
ALTER TABLE organizations ADD COLUMN website TEXT NULL;
ALTER TABLE organizations ADD COLUMN languages TEXT NULL;    -- JSON array of zh | ru | en
ALTER TABLE organizations ADD COLUMN contact TEXT NULL;      -- JSON {"person", "email", "phone"}
ALTER TABLE organizations ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN updated_at TIMESTAMPTZ NULL;

-- An agency acts for its clients (listings, and later interests and answers) and for no one else.
CREATE TABLE agency_clients (
    agency_id   TEXT NOT NULL REFERENCES organizations (id),
    client_id   TEXT NOT NULL REFERENCES organizations (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, client_id)
);
CREATE INDEX ix_agency_clients_client ON agency_clients (client_id);
