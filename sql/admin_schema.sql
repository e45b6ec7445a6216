-- Admin API audit (docs/admin-api.md). Idempotent: p2p-silo --init-db applies it after alerts_schema.sql.
-- One row per operate call (approve, ban, drain, move, policy, failover, resume, reset, end session), whether it
-- changed something, changed nothing (an idempotent repeat) or was refused. Nothing deletes rows. Times are UTC.
CREATE TABLE IF NOT EXISTS p2p_admin_audit
(
    id       BIGINT NOT NULL AUTO_INCREMENT,
    at       DATETIME(3) NOT NULL,
    key_name VARCHAR(64) NOT NULL,          -- the API key's name (admin.api_keys), never the key
    action   VARCHAR(32) NOT NULL,          -- e.g. drain, move, emergency-failover
    target   VARCHAR(128) NOT NULL,         -- host id, map name, character id, or network
    result   VARCHAR(255) NOT NULL,         -- changed, unchanged, or refused <status> <code>
    PRIMARY KEY (id),
    KEY p2p_admin_audit_at (at),
    KEY p2p_admin_audit_key (key_name, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
