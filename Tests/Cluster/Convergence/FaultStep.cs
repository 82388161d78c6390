using System.Globalization;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// One fault of a schedule: applied <see cref="At"/> after the schedule starts, to node <see cref="Target"/>
/// (an index into the rig's engines; -1 for faults of the whole cluster), undone <see cref="Duration"/> later.
/// </summary>
public sealed record FaultStep(TimeSpan At, FaultKind Kind, int Target, TimeSpan Duration)
{
    public override string ToString()
    {
        var target = Target < 0 ? "cluster" : string.Create(CultureInfo.InvariantCulture, $"node-{Target + 1}");
        return string.Create(CultureInfo.InvariantCulture, $"+{At.TotalSeconds:0.0}s {Kind} {target} for {Duration.TotalSeconds:0.0}s");
    }
}
