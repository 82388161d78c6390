namespace Orchestrator.Testing;

/// <summary>How <see cref="PrivatePostgres.StopAsync"/> stops the server (pg_ctl's <c>-m</c>).</summary>
public enum PostgresStopMode
{
    /// <summary>Ends every session, then shuts down cleanly.</summary>
    Fast,

    /// <summary>Quits at once, as a crash would; the next start replays the WAL.</summary>
    Immediate,
}
