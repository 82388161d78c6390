namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>What a workload job's containers do, which decides what converged means for it.</summary>
public enum JobKind
{
    /// <summary>Runs until stopped (busybox httpd): converged, every replica is Running.</summary>
    Service,

    /// <summary>Exits non-zero every few seconds and is restarted: converged, each slot has one live task at most.</summary>
    Crashing,

    /// <summary>Sleeps and exits 0 once: it must end Completed and never run twice.</summary>
    OneShot,
}
