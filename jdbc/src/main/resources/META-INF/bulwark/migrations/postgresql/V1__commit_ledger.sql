-- Bulwark commit ledger: one marker row per unit of work whose commit must be resolvable after a
-- lost acknowledgement. Rows expire after the configured retention (default 24 hours).
CREATE TABLE IF NOT EXISTS bulwark_commit_ledger (
    unit_id    VARCHAR(64) PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS bulwark_commit_ledger_created_at ON bulwark_commit_ledger (created_at);
