using System.Text.Json;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>Whether two specs run the same tasks, i.e. differ at most in their replica count.</summary>
public static class JobSpecComparer
{
    public static bool SameTasks(JobSpec a, JobSpec b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Canonical(a) == Canonical(b);
    }

    // Records compare lists and maps by reference; their canonical JSON compares them by content.
    private static string Canonical(JobSpec spec) => JsonSerializer.Serialize(
        spec with
        {
            Replicas = 0,
            Env = new SortedDictionary<string, string>(spec.Env.ToDictionary(), StringComparer.Ordinal),
            Constraints = new SortedDictionary<string, string>(spec.Constraints.ToDictionary(), StringComparer.Ordinal),
        },
        JobSpecParser.Options);
}
