-- Bulwark commit ledger: one marker row per unit of work whose commit must be resolvable after a
-- lost acknowledgement. Rows expire after the configured retention (default 24 hours).
-- created_at is UTC text 'YYYY-MM-DD HH:MM:SS.SSS', which sorts like the time it names.
CREATE TABLE IF NOT EXISTS bulwark_commit_ledger (
    unit_id    TEXT NOT NULL PRIMARY KEY,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX IF NOT EXISTS bulwark_commit_ledger_created_at ON bulwark_commit_ledger (created_at);
