namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>The faults a <see cref="FaultSchedule"/> draws from.</summary>
public enum FaultKind
{
    /// <summary>SIGKILL one silo; start it again after the step's duration (zero: at once).</summary>
    KillSilo,

    /// <summary>SIGKILL every container on one machine's engine, then its silo, as a machine dying; back after the duration.</summary>
    KillMachine,

    /// <summary>SIGSTOP one silo past Orleans' 30 s call timeout, then SIGCONT; it may have been declared dead and exited.</summary>
    FreezeSilo,

    /// <summary>Stop PostgreSQL for longer than grain storage retries; containers keep exiting meanwhile.</summary>
    PostgresOutage,

    /// <summary>SIGSTOP one machine's dockerd: its API accepts connections and never answers.</summary>
    FreezeEngine,

    /// <summary>SIGKILL every silo at once and start them all again within seconds.</summary>
    RestartAllSilos,

    /// <summary>Lose or delay a fraction of the grain calls between the orchestrator's grains and their replies.</summary>
    CallFaults,
}
