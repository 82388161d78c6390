-- Grain state (Microsoft.Orleans.Persistence.AdoNet).
-- A row is one grain's state under one state name in one service. The provider splits the grain id
-- into @GrainIdN0/@GrainIdN1 (GUID or integer keys) and @GrainIdExtensionString (string keys, or
-- the extension of a compound key). A string key that parses as hexadecimal (for example all
-- digits) arrives as an integer key with a NULL extension, so the extension is matched with
-- IS NOT DISTINCT FROM and the unique constraint treats NULLs as equal (PostgreSQL 15+).
-- @GrainTypeString is the state name given to [PersistentState], not the grain class.
-- The hashes are only there to keep the index selective; the strings decide identity.
--
-- Versioning (the grain's ETag): a first write (@GrainStateVersion NULL) inserts version 1; later
-- writes must present the stored version and get it + 1 back as NewGrainStateVersion. Any
-- mismatch returns no row, which the provider turns into an InconsistentStateException.

CREATE TABLE IF NOT EXISTS orleans_storage
(
    service_id                varchar(150)  NOT NULL,
    grain_type_hash           integer       NOT NULL,
    grain_id_hash             integer       NOT NULL,
    grain_id_n0               bigint        NOT NULL,
    grain_id_n1               bigint        NOT NULL,
    grain_type_string         varchar(512)  NOT NULL,
    grain_id_extension_string varchar(1024) NULL,
    payload_binary            bytea         NULL,
    version                   integer       NOT NULL,
    modified_on               timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT orleans_storage_grain_state_key UNIQUE NULLS NOT DISTINCT
        (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1,
         grain_type_string, grain_id_extension_string)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'ReadFromStorageKey',
    -- Zero or one row. A cleared state keeps its row with a NULL payload so the version survives.
    $q$
    SELECT payload_binary AS "PayloadBinary",
           version        AS "Version"
    FROM orleans_storage
    WHERE service_id = @ServiceId
      AND grain_type_hash = @GrainTypeHash
      AND grain_id_hash = @GrainIdHash
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND grain_type_string = @GrainTypeString
      AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString;
    $q$
),
(
    'WriteToStorageKey',
    -- One row (NewGrainStateVersion) on success, none on a version conflict. The insert branch
    -- also yields nothing when the row already exists: a NULL version then means a stale grain.
    $q$
    WITH updated AS (
        UPDATE orleans_storage
        SET payload_binary = @PayloadBinary,
            version = version + 1,
            modified_on = now()
        WHERE @GrainStateVersion IS NOT NULL
          AND service_id = @ServiceId
          AND grain_type_hash = @GrainTypeHash
          AND grain_id_hash = @GrainIdHash
          AND grain_id_n0 = @GrainIdN0
          AND grain_id_n1 = @GrainIdN1
          AND grain_type_string = @GrainTypeString
          AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
          AND version = @GrainStateVersion
        RETURNING version
    ), inserted AS (
        INSERT INTO orleans_storage
            (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1,
             grain_type_string, grain_id_extension_string, payload_binary, version)
        SELECT @ServiceId, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1,
               @GrainTypeString, @GrainIdExtensionString, @PayloadBinary, 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT ON CONSTRAINT orleans_storage_grain_state_key DO NOTHING
        RETURNING version
    )
    SELECT version AS "NewGrainStateVersion" FROM updated
    UNION ALL
    SELECT version FROM inserted;
    $q$
),
(
    'ClearStorageKey',
    -- Keeps the row with a NULL payload and returns the new version; no row on a conflict.
    $q$
    UPDATE orleans_storage
    SET payload_binary = NULL,
        version = version + 1,
        modified_on = now()
    WHERE service_id = @ServiceId
      AND grain_type_hash = @GrainTypeHash
      AND grain_id_hash = @GrainIdHash
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND grain_type_string = @GrainTypeString
      AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version AS "NewGrainStateVersion";
    $q$
),
(
    'DeleteStorageKey',
    -- Used instead of ClearStorageKey when DeleteStateOnClear is set. The provider treats a
    -- returned version equal to the grain's own as a conflict, so the next version is returned.
    $q$
    DELETE FROM orleans_storage
    WHERE service_id = @ServiceId
      AND grain_type_hash = @GrainTypeHash
      AND grain_id_hash = @GrainIdHash
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND grain_type_string = @GrainTypeString
      AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version + 1 AS "NewGrainStateVersion";
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
