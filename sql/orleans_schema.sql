-- Orleans 10.4.2 ADO.NET schema for MariaDB 10.11: clustering, grain
-- persistence and reminders, for the invariant MySql.Data.MySqlConnector.
-- Only MariaDB is verified; no MariaDB-only syntax is used on purpose.
--
-- The providers read their SQL from OrleansQuery at start-up and bind
-- parameters by name; the texts below are the contract. Each key lists what
-- the provider binds and what it reads back.
--
-- This file is sent whole as ONE MySqlConnector command, so it must stay free
-- of DELIMITER, stored routines and USE. The connector scans the text for
-- parameters outside string literals, so comments here avoid the at-sign,
-- question marks and apostrophes. Re-running it is harmless: tables are
-- created only when missing and query texts are upserted.
--
-- Text keys use utf8mb4_bin: Orleans ids are case-sensitive, and a case-folding
-- collation would merge distinct clusters, grains or reminders.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  VARCHAR(64) NOT NULL,
    QueryText TEXT        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- ---------------------------------------------------------------------------
-- Clustering
-- ---------------------------------------------------------------------------

-- One row per cluster (Orleans calls the cluster id DeploymentId here).
-- Version is the table etag: every membership write must move it by one, and
-- a write made against a stale version must fail.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId VARCHAR(150) NOT NULL,
    Timestamp    DATETIME(3)  NOT NULL,
    Version      INT          NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per silo incarnation. The provider casts SiloName, HostName, Status
-- and ProxyPort without null checks, hence NOT NULL. SuspectTimes holds
-- votes as address,date pairs joined by bars and may grow with the cluster.
-- Times keep milliseconds so captured values compare exactly on cleanup.
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId VARCHAR(150) NOT NULL,
    Address      VARCHAR(45)  NOT NULL,
    Port         INT          NOT NULL,
    Generation   INT          NOT NULL,
    SiloName     VARCHAR(150) NOT NULL,
    HostName     VARCHAR(150) NOT NULL,
    Status       INT          NOT NULL,
    ProxyPort    INT          NOT NULL,
    SuspectTimes TEXT         NULL,
    StartTime    DATETIME(3)  NOT NULL,
    IAmAliveTime DATETIME(3)  NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- ---------------------------------------------------------------------------
-- Grain persistence
-- ---------------------------------------------------------------------------

-- A grain state is identified by (ServiceId, GrainTypeString, GrainIdN0,
-- GrainIdN1, GrainIdExtensionString): long keys use N1, guid keys N0 and N1,
-- string keys only the extension column. The strings are too long for one
-- composite unique index, so the queries fingerprint the tuple into KeyDigest:
-- SHA-256 of the three string lengths (-1 for a missing extension), N0, N1
-- and then the strings, joined by colons. The leading lengths make the
-- encoding unambiguous whatever the strings contain, and it uses only plain
-- string functions, not server-formatted output such as JSON. KeyDigest is
-- the primary key: lookups are one probe, and two activations racing to
-- create the same state cannot both insert. GrainIdHash and GrainTypeHash
-- are what the provider computes; they are kept for diagnostics only.
-- Every persistence query below repeats the same KeyDigest expression.
--
-- PayloadBinary holds whatever the configured serializer produced (JSON bytes
-- with the default one); NULL means cleared. Version is the etag.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    KeyDigest              BINARY(32)    NOT NULL,
    ServiceId              VARCHAR(150)  NOT NULL,
    GrainTypeString        VARCHAR(512)  NOT NULL,
    GrainIdN0              BIGINT        NOT NULL,
    GrainIdN1              BIGINT        NOT NULL,
    GrainIdExtensionString VARCHAR(1024) NULL,
    GrainIdHash            INT           NOT NULL,
    GrainTypeHash          INT           NOT NULL,
    PayloadBinary          LONGBLOB      NULL,
    ModifiedOn             DATETIME(3)   NOT NULL,
    Version                INT           NOT NULL,
    CONSTRAINT PK_OrleansStorage PRIMARY KEY (KeyDigest)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- ---------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------

-- GrainHash is the uniform hash of the grain id cast to a SIGNED int by the
-- provider, and the range queries compare it in signed order, so it must stay
-- INT (not INT UNSIGNED). Period is in milliseconds and may exceed INT.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    VARCHAR(150) NOT NULL,
    GrainId      VARCHAR(300) NOT NULL,
    ReminderName VARCHAR(150) NOT NULL,
    StartTime    DATETIME(3)  NOT NULL,
    Period       BIGINT       NOT NULL,
    GrainHash    INT          NOT NULL,
    Version      INT          NOT NULL,
    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName),
    INDEX IX_OrleansRemindersTable_Ring (ServiceId, GrainHash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- ===========================================================================
-- Query texts. Parameters are bound by name without prefix; MySqlConnector
-- matches them to the prefixed names in the text. The providers do not wrap
-- calls in a transaction, so texts that need atomicity open their own; if a
-- statement fails mid-way, MySqlConnector resets the pooled session before
-- reuse, which rolls the open transaction back.
-- ===========================================================================

-- Clustering: binds DeploymentId, Address, Port, Generation, IAmAliveTime.
-- A heartbeat is not a membership change, so the version stays. GREATEST
-- keeps a late heartbeat from moving the time backwards.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId
  AND Address = @Address AND Port = @Port AND Generation = @Generation;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId; reads one row with one column, true when
-- the row did not exist (used for a log line only). The upsert cannot fail
-- when two silos of a new cluster start together.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
SELECT NOT EXISTS (
    SELECT 1 FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
) AS Created;
INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
VALUES (@DeploymentId, UTC_TIMESTAMP(3), 0)
ON DUPLICATE KEY UPDATE Version = Version;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId, Address, Port, Generation, SiloName,
-- HostName, Status, ProxyPort, StartTime, IAmAliveTime and Version (the
-- version the caller read). Reads one boolean. The no-op UPDATE takes the
-- version row lock before anything else: the server evaluates the NOT EXISTS
-- check up front, and its gap lock taken ahead of the version lock made
-- concurrent joins deadlock. The bump then checks the etag and that the silo
-- is not yet listed; the insert runs only if that bump happened.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
START TRANSACTION;
UPDATE OrleansMembershipVersionTable SET Version = Version WHERE DeploymentId = @DeploymentId;
UPDATE OrleansMembershipVersionTable
SET Version = Version + 1, Timestamp = UTC_TIMESTAMP(3)
WHERE DeploymentId = @DeploymentId AND Version = @Version
  AND NOT EXISTS (
      SELECT 1 FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId
        AND Address = @Address AND Port = @Port AND Generation = @Generation);
INSERT INTO OrleansMembershipTable
    (DeploymentId, Address, Port, Generation, SiloName, HostName,
     Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
       @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
FROM DUAL
WHERE ROW_COUNT() > 0;
SELECT ROW_COUNT() > 0 AS Inserted;
COMMIT;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId, Address, Port, Generation, Status,
-- SuspectTimes, IAmAliveTime and Version. Reads one boolean. A single
-- two-table UPDATE bumps the version and changes the silo row atomically,
-- and only when the etag matches and the row exists.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
UPDATE OrleansMembershipVersionTable AS v
INNER JOIN OrleansMembershipTable AS m
    ON m.DeploymentId = v.DeploymentId
   AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
SET v.Version = v.Version + 1,
    v.Timestamp = UTC_TIMESTAMP(3),
    m.Status = @Status,
    m.SuspectTimes = @SuspectTimes,
    m.IAmAliveTime = GREATEST(m.IAmAliveTime, @IAmAliveTime)
WHERE v.DeploymentId = @DeploymentId AND v.Version = @Version;
SELECT ROW_COUNT() > 0 AS Updated;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering (clients): binds DeploymentId and Status (Active); reads
-- Address, ProxyPort, Generation. Silos without a gateway have ProxyPort 0.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId, Address, Port, Generation. Reads Version
-- from the version row plus the silo columns; the LEFT JOIN returns the
-- version even when the silo is absent (StartTime NULL means no entry).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT v.Version,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
    ON m.DeploymentId = v.DeploymentId
   AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId; same columns as MembershipReadRowKey for
-- every silo of the cluster.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT v.Version,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
    ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId; forgets the whole cluster. Silo rows go
-- first because of the foreign key.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
START TRANSACTION;
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
COMMIT;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId, Address, Port, Generation, StartTime,
-- IAmAliveTime and SuspectTimes as the provider last read them. 10.4.2
-- prefers this key when present: it picks Dead rows older than the cutoff
-- itself and deletes each one only if nothing changed since it looked.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND SuspectTimes <=> @SuspectTimes;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clustering: binds DeploymentId and IAmAliveTime (the cutoff). Required by
-- the provider at start-up but only run when CleanupDefunctSiloEntryKey is
-- missing; kept as strict: Dead rows untouched since the cutoff with no
-- votes recorded.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND StartTime < @IAmAliveTime
  AND IAmAliveTime < @IAmAliveTime
  AND (SuspectTimes IS NULL OR SuspectTimes = SPACE(0));
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Persistence: every key binds ServiceId, GrainTypeString, GrainIdN0,
-- GrainIdN1, GrainIdExtensionString (NULL when absent), GrainIdHash and
-- GrainTypeHash; KeyDigest is recomputed from the first five exactly as the
-- write stores it.
--
-- Read: at most one row with PayloadBinary (NULL means no state) and Version
-- (the etag, kept across a clear so the next write can present it).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE KeyDigest = UNHEX(SHA2(CONCAT_WS('':'', CHAR_LENGTH(@ServiceId), CHAR_LENGTH(@GrainTypeString), IFNULL(CHAR_LENGTH(@GrainIdExtensionString), -1), @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString, @GrainIdExtensionString), 256));
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Persistence write: also binds GrainStateVersion (NULL for a grain that has
-- never stored anything) and PayloadBinary. Reads one row with
-- NewGrainStateVersion on success and no row on an etag mismatch, which the
-- provider raises as InconsistentStateException.
-- A first write (GrainStateVersion NULL) inserts a version-0 placeholder
-- unless a row already exists. One UPDATE then does the work for both cases,
-- matching version 0 for a first write or the presented etag otherwise, so
-- its row count alone tells success. The same transaction lifts the
-- placeholder to version 1, so no other session ever sees version 0; a
-- racing first write waits on the key lock, then finds version 1 and fails.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
START TRANSACTION;
INSERT INTO OrleansStorage
    (KeyDigest, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
     GrainIdHash, GrainTypeHash, PayloadBinary, ModifiedOn, Version)
SELECT UNHEX(SHA2(CONCAT_WS('':'', CHAR_LENGTH(@ServiceId), CHAR_LENGTH(@GrainTypeString), IFNULL(CHAR_LENGTH(@GrainIdExtensionString), -1), @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString, @GrainIdExtensionString), 256)),
       @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
       @GrainIdHash, @GrainTypeHash, NULL, UTC_TIMESTAMP(3), 0
FROM DUAL
WHERE @GrainStateVersion IS NULL
ON DUPLICATE KEY UPDATE Version = Version;
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary, ModifiedOn = UTC_TIMESTAMP(3), Version = Version + 1
WHERE KeyDigest = UNHEX(SHA2(CONCAT_WS('':'', CHAR_LENGTH(@ServiceId), CHAR_LENGTH(@GrainTypeString), IFNULL(CHAR_LENGTH(@GrainIdExtensionString), -1), @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString, @GrainIdExtensionString), 256))
  AND Version = IFNULL(@GrainStateVersion, 0);
SELECT IFNULL(@GrainStateVersion, 0) + 1 AS NewGrainStateVersion FROM DUAL WHERE ROW_COUNT() > 0;
COMMIT;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Persistence clear (DeleteStateOnClear = false, the default): binds
-- GrainStateVersion. Drops the payload but keeps the row and moves the
-- version on, so a stale activation still conflicts afterwards. Reads the
-- new version on success and no row on a mismatch.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL, ModifiedOn = UTC_TIMESTAMP(3), Version = Version + 1
WHERE KeyDigest = UNHEX(SHA2(CONCAT_WS('':'', CHAR_LENGTH(@ServiceId), CHAR_LENGTH(@GrainTypeString), IFNULL(CHAR_LENGTH(@GrainIdExtensionString), -1), @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString, @GrainIdExtensionString), 256))
  AND Version = @GrainStateVersion;
SELECT @GrainStateVersion + 1 AS NewGrainStateVersion FROM DUAL WHERE ROW_COUNT() > 0;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Persistence clear with DeleteStateOnClear = true: binds GrainStateVersion
-- and removes the row when the etag matches. The provider forgets the etag
-- afterwards but still needs a value different from the old one to accept
-- the delete; no row means a mismatch.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE KeyDigest = UNHEX(SHA2(CONCAT_WS('':'', CHAR_LENGTH(@ServiceId), CHAR_LENGTH(@GrainTypeString), IFNULL(CHAR_LENGTH(@GrainIdExtensionString), -1), @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString, @GrainIdExtensionString), 256))
  AND Version = @GrainStateVersion;
SELECT @GrainStateVersion + 1 AS NewGrainStateVersion FROM DUAL WHERE ROW_COUNT() > 0;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Reminders: reads GrainId, ReminderName, StartTime, Period, Version.
-- Binds ServiceId and GrainId.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Reminders: binds ServiceId, GrainId, ReminderName.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Reminders ring range (BeginHash, EndHash], binds ServiceId, BeginHash,
-- EndHash as signed ints. The provider uses Rows1 when BeginHash is below
-- EndHash in signed order (a plain interval) and Rows2 otherwise (the range
-- wraps past the top, or covers the whole ring when both are equal).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Reminders: binds ServiceId, GrainHash, GrainId, ReminderName, StartTime,
-- Period. Always succeeds; reads the new Version (the etag). The transaction
-- holds the row lock until the version is read back, so this caller cannot
-- return the etag of a concurrent upsert.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
START TRANSACTION;
INSERT INTO OrleansRemindersTable
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON DUPLICATE KEY UPDATE
    StartTime = VALUES(StartTime),
    Period = VALUES(Period),
    GrainHash = VALUES(GrainHash),
    Version = Version + 1;
SELECT Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
COMMIT;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Reminders: binds ServiceId, GrainId, ReminderName, Version (the etag).
-- Reads one boolean: deleted or not.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
  AND Version = @Version;
SELECT ROW_COUNT() > 0 AS Deleted;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Reminders: binds ServiceId; removes every reminder of the service.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
') ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);
