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

-- Database proxy (hosts save characters through the coordinator). The coordinator writes these three tables and
-- rAthena char rows in one transaction per batch of writes; see RathenaCharacterStore and sql/README.md.

-- The version of each character the proxy has written: a save names the version it replaces, and is refused
-- (VersionConflict) when another save came first. A character with no row is at version 0.
CREATE TABLE IF NOT EXISTS p2p_char_version
(
    char_id    INT UNSIGNED NOT NULL,
    version    BIGINT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (char_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The idempotency key of every applied write (16 bytes chosen by the host), so a retried write is answered with
-- the version it produced instead of being applied twice. Rows older than any retry may be purged by applied_at.
CREATE TABLE IF NOT EXISTS p2p_db_idempotency
(
    idem_key   BINARY(16) NOT NULL,
    char_id    INT UNSIGNED NOT NULL,
    version    BIGINT NOT NULL,
    applied_at DATETIME(3) NOT NULL,
    PRIMARY KEY (idem_key),
    KEY p2p_db_idempotency_applied (applied_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per write the proxy accepted or refused: who (host, map, epoch) did what to which character, and why a
-- refusal was made (code is the ClusterError value, 0 when accepted). version is the version an accepted write
-- produced, the stored one for a conflict, NULL when not known. Times are UTC.
CREATE TABLE IF NOT EXISTS p2p_db_audit
(
    id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    at        DATETIME(3) NOT NULL,
    host_id   VARCHAR(64) NOT NULL,
    char_id   INT UNSIGNED NOT NULL,
    map       VARCHAR(16) NOT NULL,
    epoch     BIGINT NOT NULL,
    operation VARCHAR(32) NOT NULL,
    idem_key  BINARY(16) NULL,
    accepted  TINYINT NOT NULL,
    code      SMALLINT UNSIGNED NOT NULL,
    reason    VARCHAR(255) NOT NULL,
    version   BIGINT NULL,
    PRIMARY KEY (id),
    KEY p2p_db_audit_char (char_id, at),
    KEY p2p_db_audit_host (host_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
