-- Bulwark commit ledger: one marker row per unit of work whose commit must be resolvable after a
-- lost acknowledgement. Rows expire after the configured retention (default 24 hours).
-- MariaDB and MySQL; InnoDB is required (the marker must be transactional).
CREATE TABLE IF NOT EXISTS bulwark_commit_ledger (
    unit_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX bulwark_commit_ledger_created_at (created_at)
) ENGINE=InnoDB;
