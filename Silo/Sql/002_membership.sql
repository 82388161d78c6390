-- Cluster membership (Microsoft.Orleans.Clustering.AdoNet).
-- One version row per cluster (@DeploymentId is the Orleans ClusterId) acts as the table's etag:
-- every change to a membership row must bump it in the same statement, and only when it still
-- equals the version the silo read (@Version), which is how Orleans serialises membership changes.
-- A silo is identified by @Address, @Port and @Generation.

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id varchar(150) NOT NULL PRIMARY KEY,
    version       integer      NOT NULL DEFAULT 0,
    changed_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   varchar(150) NOT NULL
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       text         NOT NULL,
    host_name       text         NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NOT NULL DEFAULT 0,
    suspect_times   text         NULL,
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'InsertMembershipVersionKey',
    -- Returns one boolean: whether this call created the cluster's version row.
    $q$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id)
        VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM created);
    $q$
),
(
    'MembershipReadAllKey',
    -- At least one row whenever the cluster exists: the version row joined to its members, so an
    -- empty cluster still yields its version (with NULL member columns).
    $q$
    SELECT v.version         AS "Version",
           m.deployment_id   AS "DeploymentId",
           m.address         AS "Address",
           m.port            AS "Port",
           m.generation      AS "Generation",
           m.silo_name       AS "SiloName",
           m.host_name       AS "HostName",
           m.status          AS "Status",
           m.proxy_port      AS "ProxyPort",
           m.suspect_times   AS "SuspectTimes",
           m.start_time      AS "StartTime",
           m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId;
    $q$
),
(
    'MembershipReadRowKey',
    $q$
    SELECT v.version         AS "Version",
           m.deployment_id   AS "DeploymentId",
           m.address         AS "Address",
           m.port            AS "Port",
           m.generation      AS "Generation",
           m.silo_name       AS "SiloName",
           m.host_name       AS "HostName",
           m.status          AS "Status",
           m.proxy_port      AS "ProxyPort",
           m.suspect_times   AS "SuspectTimes",
           m.start_time      AS "StartTime",
           m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m
           ON m.deployment_id = v.deployment_id
          AND m.address = @Address
          AND m.port = @Port
          AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId;
    $q$
),
(
    'InsertMembershipKey',
    -- Returns one boolean: true only if the version matched, the silo was not yet present, and both
    -- the version bump and the insert happened.
    $q$
    WITH bumped AS (
        UPDATE orleans_membership_version
        SET version = version + 1,
            changed_at = now()
        WHERE deployment_id = @DeploymentId
          AND version = @Version
          AND NOT EXISTS (
              SELECT 1 FROM orleans_membership
              WHERE deployment_id = @DeploymentId
                AND address = @Address
                AND port = @Port
                AND generation = @Generation)
        RETURNING deployment_id
    ), inserted AS (
        INSERT INTO orleans_membership
            (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
             start_time, i_am_alive_time)
        SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
               @StartTime, @IAmAliveTime
        FROM bumped
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM inserted);
    $q$
),
(
    'UpdateMembershipKey',
    -- Returns one boolean: true only if the version matched and the silo's row was updated.
    $q$
    WITH bumped AS (
        UPDATE orleans_membership_version
        SET version = version + 1,
            changed_at = now()
        WHERE deployment_id = @DeploymentId
          AND version = @Version
          AND EXISTS (
              SELECT 1 FROM orleans_membership
              WHERE deployment_id = @DeploymentId
                AND address = @Address
                AND port = @Port
                AND generation = @Generation)
        RETURNING deployment_id
    ), updated AS (
        UPDATE orleans_membership m
        SET status = @Status,
            suspect_times = @SuspectTimes,
            i_am_alive_time = @IAmAliveTime
        FROM bumped b
        WHERE m.deployment_id = b.deployment_id
          AND m.address = @Address
          AND m.port = @Port
          AND m.generation = @Generation
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM updated);
    $q$
),
(
    'UpdateIAmAlivetimeKey',
    -- Heartbeats deliberately leave the table version alone: they are not membership changes.
    $q$
    UPDATE orleans_membership
    SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId
      AND address = @Address
      AND port = @Port
      AND generation = @Generation;
    $q$
),
(
    'DeleteMembershipTableEntriesKey',
    -- Members go with the version row (ON DELETE CASCADE).
    $q$
    DELETE FROM orleans_membership_version
    WHERE deployment_id = @DeploymentId;
    $q$
),
(
    'GatewaysQueryKey',
    -- @Status is Active (3); a silo without a gateway has proxy port 0.
    $q$
    SELECT address    AS "Address",
           proxy_port AS "ProxyPort",
           generation AS "Generation"
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId
      AND status = @Status
      AND proxy_port > 0;
    $q$
),
(
    'CleanupDefunctSiloEntriesKey',
    -- Removes rows of silos that are not active and have not sent a heartbeat since the cutoff.
    $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId
      AND i_am_alive_time < @IAmAliveTime
      AND status <> 3;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
