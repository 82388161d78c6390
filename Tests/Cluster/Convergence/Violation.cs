namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// A broken invariant: <see cref="Subject"/> names what is wrong in words that stay the same while it stays wrong
/// (a job's replicas, a task's containers, a node's ledger), so two snapshots can be compared; <see cref="Detail"/>
/// says what was seen.
/// </summary>
public sealed record Violation(string Subject, string Detail)
{
    public override string ToString() => $"{Subject}: {Detail}";
}
