-- Alert history (docs/monitoring.md). Idempotent: p2p-silo --init-db applies it after p2p_schema.sql.
-- One row per alert that fired: inserted when it fires, updated when it resolves. The silo deletes rows whose
-- alert resolved more than alerts.history_days ago. Times are UTC.
CREATE TABLE IF NOT EXISTS p2p_alerts
(
    id         CHAR(32) NOT NULL,           -- the alert's id, the same in its firing and resolved webhooks
    rule       VARCHAR(32) NOT NULL,        -- map_unassigned, vps_share, host_churn, host_refused_writes, ...
    subject    VARCHAR(128) NOT NULL,       -- the map or host it is about; '' for a cluster-wide rule
    state      VARCHAR(16) NOT NULL,        -- firing or resolved
    value      DOUBLE NOT NULL,             -- the measure when it fired, in the rule's unit
    threshold  DOUBLE NOT NULL,
    started_at DATETIME(3) NOT NULL,        -- condition first seen
    fired_at   DATETIME(3) NULL,
    ended_at   DATETIME(3) NULL,            -- resolved; NULL while firing
    summary    VARCHAR(512) NOT NULL,
    PRIMARY KEY (id),
    KEY p2p_alerts_state (state),
    KEY p2p_alerts_ended (ended_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
