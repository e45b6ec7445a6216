-- P2PCluster's own tables (p2p_*). Idempotent: p2p-silo --init-db applies it after orleans_schema.sql,
-- and running it again changes nothing. Later features add their tables here.

CREATE TABLE IF NOT EXISTS p2p_schema_version
(
    component  VARCHAR(64) NOT NULL,
    version    INT NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (component)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A silo checks at start-up that this row exists, so a forgotten --init-db is reported instead of failing later.
INSERT INTO p2p_schema_version (component, version) VALUES ('p2p', 1)
ON DUPLICATE KEY UPDATE version = GREATEST(version, VALUES(version));
