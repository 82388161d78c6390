-- Reminders (Microsoft.Orleans.Reminders.AdoNet).
-- @GrainId is the full grain id text ("type/key"), which can be long for string keys. @GrainHash,
-- @BeginHash and @EndHash are the grain's uniform hash cast to a signed integer; the provider picks
-- ReadRangeRows1Key when begin < end in signed order and ReadRangeRows2Key for a range that wraps.
-- @Period is in milliseconds. Version is the reminder's ETag.

CREATE TABLE IF NOT EXISTS orleans_reminders
(
    service_id    varchar(150)  NOT NULL,
    grain_id      varchar(2048) NOT NULL,
    reminder_name varchar(150)  NOT NULL,
    start_time    timestamptz   NOT NULL,
    period        bigint        NOT NULL,
    grain_hash    integer       NOT NULL,
    version       integer       NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'ReadReminderRowsKey',
    $q$
    SELECT grain_id      AS "GrainId",
           reminder_name AS "ReminderName",
           start_time    AS "StartTime",
           period        AS "Period",
           version       AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId;
    $q$
),
(
    'ReadReminderRowKey',
    $q$
    SELECT grain_id      AS "GrainId",
           reminder_name AS "ReminderName",
           start_time    AS "StartTime",
           period        AS "Period",
           version       AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName;
    $q$
),
(
    'ReadRangeRows1Key',
    $q$
    SELECT grain_id      AS "GrainId",
           reminder_name AS "ReminderName",
           start_time    AS "StartTime",
           period        AS "Period",
           version       AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId
      AND grain_hash > @BeginHash
      AND grain_hash <= @EndHash;
    $q$
),
(
    'ReadRangeRows2Key',
    $q$
    SELECT grain_id      AS "GrainId",
           reminder_name AS "ReminderName",
           start_time    AS "StartTime",
           period        AS "Period",
           version       AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId
      AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
    $q$
),
(
    'UpsertReminderRowKey',
    -- Returns the reminder's new Version.
    $q$
    INSERT INTO orleans_reminders
        (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
    VALUES
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
    SET start_time = EXCLUDED.start_time,
        period = EXCLUDED.period,
        grain_hash = EXCLUDED.grain_hash,
        version = orleans_reminders.version + 1
    RETURNING version AS "Version";
    $q$
),
(
    'DeleteReminderRowKey',
    -- Returns one boolean: whether the row existed with the given Version and was deleted.
    $q$
    WITH deleted AS (
        DELETE FROM orleans_reminders
        WHERE service_id = @ServiceId
          AND grain_id = @GrainId
          AND reminder_name = @ReminderName
          AND version = @Version
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM deleted);
    $q$
),
(
    'DeleteReminderRowsKey',
    $q$
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
