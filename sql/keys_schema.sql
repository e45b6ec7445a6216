-- Coordinator key set (docs/operations.md, "Keys and rollover"). Idempotent: p2p-silo --init-db applies it after
-- admin_schema.sql. One row per coordinator signing key: every silo and gateway reads the table (polling) and signs
-- with the key active at the moment; states follow from the dates. Rows are never deleted: a revoked key stays so
-- agents learn to drop it. private_key_pem is the PKCS#8 PEM the silos sign with: this table is as secret as the
-- coordinator key file was. Times are UTC.
CREATE TABLE IF NOT EXISTS p2p_coordinator_keys
(
    key_id          VARCHAR(16) NOT NULL,        -- lowercase hex, first 8 bytes of SHA-256 of public_key
    public_key      VARBINARY(32) NOT NULL,      -- raw Ed25519 public key
    private_key_pem TEXT NOT NULL,               -- as openssl genpkey -algorithm ED25519 writes it
    created_at      DATETIME(3) NOT NULL,
    activate_at     DATETIME(3) NOT NULL,        -- signing key from then on (unless superseded or revoked)
    retire_at       DATETIME(3) NULL,            -- verifies nothing from then on
    revoked_at      DATETIME(3) NULL,            -- trusted by nobody from then on
    PRIMARY KEY (key_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
