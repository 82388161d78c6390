using System.Text.Json;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>How two specs of one job differ: in their tasks (a new version that replaces replicas), or less.</summary>
public static class JobSpecComparer
{
    /// <summary>
    /// Whether a replica started from <paramref name="a"/> also runs <paramref name="b"/>'s tasks: they differ at most in
    /// the replica count, the scheduler, the update block and the placement rules (constraints, spreadBy,
    /// distinctNodes): a constraint is checked against the replica's node instead, by the job, and the others apply
    /// to the placements that follow.
    /// </summary>
    public static bool SameTasks(JobSpec a, JobSpec b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Canonical(TasksOnly(a)) == Canonical(TasksOnly(b));
    }

    /// <summary>Whether the specs differ at most in their replica count: anything else makes a new version of the job.</summary>
    public static bool SameVersion(JobSpec a, JobSpec b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Canonical(a) == Canonical(b);
    }

    private static JobSpec TasksOnly(JobSpec spec) =>
        spec with { Scheduler = null, Update = new UpdateSpec(), Constraints = new Dictionary<string, LabelConstraint>(), SpreadBy = null, DistinctNodes = false };

    // Records compare lists and maps by reference; their canonical JSON compares them by content.
    private static string Canonical(JobSpec spec) => JsonSerializer.Serialize(
        spec with
        {
            Replicas = 0,
            Env = new SortedDictionary<string, string>(spec.Env.ToDictionary(), StringComparer.Ordinal),
            Constraints = new SortedDictionary<string, LabelConstraint>(spec.Constraints.ToDictionary(), StringComparer.Ordinal),
        },
        JobSpecParser.Options);
}
