-- What the coordinator's database user needs on rAthena's own tables, on top of sql/grants.sql.
-- Needed when player accounts come from the database (accounts.source: database, or auto with a database), and for
-- the database proxy (hosts save characters through the coordinator).
-- Run in the rAthena database, as an admin, after sql/grants.sql:
--
--   mariadb ragnarok < sql/grants_rathena.sql
--
-- Logins and character lists are read-only: the coordinator never writes `login`, and these `char` columns serve to
-- list an account's characters and to check that a character belongs to the account resolving it.
GRANT SELECT (account_id, userid, user_pass, sex, state) ON `login` TO 'p2p_coordinator'@'%';
GRANT SELECT (char_id, account_id, char_num, name, class, base_level, last_map, last_x, last_y) ON `char` TO 'p2p_coordinator'@'%';

-- Database proxy: a host loads and saves a character through the coordinator, which reads the columns below (plus
-- those above) and updates only these, never inserting or deleting rows. online is read only so that the one
-- multi-row UPDATE of a batch can leave it as it is for a save that does not change it.
GRANT SELECT (job_level, base_exp, job_exp, zeny, str, agi, vit, `int`, dex, luk, status_point, skill_point,
              hp, max_hp, sp, max_sp, online) ON `char` TO 'p2p_coordinator'@'%';
GRANT UPDATE (last_map, last_x, last_y, base_level, job_level, base_exp, job_exp, zeny, str, agi, vit, `int`, dex, luk,
              status_point, skill_point, hp, max_hp, sp, max_sp, online) ON `char` TO 'p2p_coordinator'@'%';
