-- Least privilege for the coordinator's database user: only what the silos use, on the Orleans* and p2p_* tables.
-- Run AFTER `p2p-silo --init-db` (grants on a table need the table), in the rAthena database, as an admin:
--
--   mariadb -e "CREATE USER IF NOT EXISTS 'p2p_coordinator'@'%' IDENTIFIED BY '<password>'"
--   mariadb ragnarok < sql/grants.sql
--
-- Use another account name by editing the TO clauses. No DDL, no access to rAthena's own tables
-- (those are in sql/grants_rathena.sql).

-- Orleans providers read their SQL from here; never write it.
GRANT SELECT ON OrleansQuery TO 'p2p_coordinator'@'%';

-- Membership: silos join (INSERT), heartbeat and vote (UPDATE), and clean up defunct entries (DELETE).
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansMembershipVersionTable TO 'p2p_coordinator'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansMembershipTable TO 'p2p_coordinator'@'%';

-- Grain state and reminders.
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansStorage TO 'p2p_coordinator'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansRemindersTable TO 'p2p_coordinator'@'%';

-- Start-up schema check.
GRANT SELECT ON p2p_schema_version TO 'p2p_coordinator'@'%';

-- Database proxy: versions are locked, created and bumped (SELECT … FOR UPDATE, INSERT … ON DUPLICATE KEY UPDATE);
-- idempotency keys are looked up and recorded; audit rows are only appended. Nothing is ever deleted.
GRANT SELECT, INSERT, UPDATE ON p2p_char_version TO 'p2p_coordinator'@'%';
GRANT SELECT, INSERT ON p2p_db_idempotency TO 'p2p_coordinator'@'%';
GRANT INSERT ON p2p_db_audit TO 'p2p_coordinator'@'%';

-- Alert history (docs/monitoring.md): rows inserted when an alert fires, updated when it resolves, read by
-- the alert grain, and deleted once older than alerts.history_days.
GRANT SELECT, INSERT, UPDATE, DELETE ON p2p_alerts TO 'p2p_coordinator'@'%';

-- Admin API audit (docs/admin-api.md): one row appended per operate call, read by GET /api/v1/audit. Never deleted.
GRANT SELECT, INSERT ON p2p_admin_audit TO 'p2p_coordinator'@'%';

-- Coordinator key set (docs/operations.md, "Keys and rollover"): read by every silo and gateway, the first key inserted
-- by the first silo to start, keys added and their dates updated by p2p-keygen (which runs with this user). Never deleted.
GRANT SELECT, INSERT, UPDATE ON p2p_coordinator_keys TO 'p2p_coordinator'@'%';
