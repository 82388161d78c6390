using System.Collections.Immutable;

namespace Orchestrator.Grains.Jobs;

/// <summary>What a job's prune does (<see cref="JobHistory.Prune"/>).</summary>
/// <param name="Released">The release times, every task that holds no slot timed.</param>
/// <param name="Due">The tasks to forget: released a retention ago.</param>
/// <param name="Changes">Whether the job's state changes: it is written only then.</param>
public sealed record PrunePlan(ImmutableDictionary<string, DateTimeOffset> Released, IReadOnlyList<string> Due, bool Changes);
