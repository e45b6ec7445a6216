-- What the coordinator's database user needs on rAthena's own tables, on top of sql/grants.sql.
-- Needed when player accounts come from the database (accounts.source: database, or auto with a database).
-- Run in the rAthena database, as an admin, after sql/grants.sql:
--
--   mariadb ragnarok < sql/grants_rathena.sql
--
-- Logins and character lists are read-only: the coordinator never writes `login`, and it reads `char` only to
-- list an account's characters and to check that a character belongs to the account resolving it.
GRANT SELECT (account_id, userid, user_pass, sex, state) ON `login` TO 'p2p_coordinator'@'%';
GRANT SELECT (char_id, account_id, char_num, name, class, base_level, last_map, last_x, last_y) ON `char` TO 'p2p_coordinator'@'%';
